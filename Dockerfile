FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1
WORKDIR /srv/jobmatrix

# pg_dump / pg_restore for `jobmatrix backup` and `restore` on PostgreSQL (Debian bookworm: 15,
# the major version of docker-compose.yml's database).
RUN apt-get update && apt-get install -y --no-install-recommends postgresql-client \
    && rm -rf /var/lib/apt/lists/*

# Exactly the versions the tests ran with (regenerate with `make lock`), then the package itself.
COPY requirements.lock ./
RUN pip install --no-deps -r requirements.lock

COPY pyproject.toml README.md alembic.ini ./
COPY app ./app
COPY bots ./bots
COPY relay ./relay
COPY vetting ./vetting
COPY templates_msg ./templates_msg
COPY sandbox ./sandbox
COPY migrations ./migrations
COPY examples ./examples
RUN pip install --no-deps . && useradd --create-home --uid 10001 jobmatrix && mkdir -p var && chown jobmatrix var

# The SQLite database, its data key file and the dispatch journals live here: keep it on a volume.
VOLUME ["/srv/jobmatrix/var"]
USER jobmatrix
EXPOSE 8000
# Liveness only (cheap); /readyz also needs a dispatcher and a scheduler leader (docs/operations.md).
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=4)"]
CMD ["jobmatrix", "serve", "--host", "0.0.0.0", "--port", "8000"]
