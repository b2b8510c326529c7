FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1
WORKDIR /srv/jobmatrix

COPY pyproject.toml README.md alembic.ini ./
COPY app ./app
COPY bots ./bots
COPY relay ./relay
COPY vetting ./vetting
COPY templates_msg ./templates_msg
COPY sandbox ./sandbox
COPY migrations ./migrations
COPY examples ./examples
RUN pip install . && useradd --create-home --uid 10001 jobmatrix && mkdir -p var && chown jobmatrix var

USER jobmatrix
EXPOSE 8000
CMD ["jobmatrix", "serve", "--host", "0.0.0.0", "--port", "8000"]
