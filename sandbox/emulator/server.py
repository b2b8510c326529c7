"""EmulatorServer: the emulator app served by uvicorn on a background thread."""

from __future__ import annotations

import signal
import socket
import threading
import time

import uvicorn

from sandbox.emulator.app import create_asgi
from sandbox.emulator.config import EmulatorConfig
from sandbox.emulator.state import EmulatorState


class EmulatorServer:
    """`with EmulatorServer(config) as emu:` → emu.wecom_api_base, emu.mp_api_base, emu.state."""

    def __init__(self, config: EmulatorConfig | None = None) -> None:
        self.config = config or EmulatorConfig()
        self.state = EmulatorState(self.config)
        self.app = create_asgi(self.state)
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None
        self._socket: socket.socket | None = None
        self.port: int | None = None

    @property
    def base_url(self) -> str:
        if self.port is None:
            raise RuntimeError("emulator not started")
        return f"http://{self.config.host}:{self.port}"

    @property
    def wecom_api_base(self) -> str:
        return self.base_url + "/cgi-bin/"

    @property
    def mp_api_base(self) -> str:
        return self.base_url + "/mp/cgi-bin/"

    @property
    def control_base(self) -> str:
        return self.base_url + "/_emulator/"

    def start(self, timeout: float = 10.0) -> EmulatorServer:
        # Bind first so the port (0 = any free one) is known before the thread runs.
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((self.config.host, self.config.port))
        self._socket, self.port = sock, sock.getsockname()[1]
        uv_config = uvicorn.Config(
            self.app,
            log_level="warning",
            access_log=False,
            lifespan="off",
            proxy_headers=False,
            timeout_graceful_shutdown=1,
        )
        self._server = uvicorn.Server(uv_config)
        self._thread = threading.Thread(
            target=self._server.run, kwargs={"sockets": [sock]}, name=f"emulator:{self.port}", daemon=True
        )
        self._thread.start()
        deadline = time.monotonic() + timeout
        while not self._server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("emulator failed to start")
            time.sleep(0.01)
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.should_exit = True
        if self._thread is not None:
            self._thread.join(timeout=5)
        if self._socket is not None:
            self._socket.close()
        self._server = self._thread = self._socket = None

    def serve_forever(self) -> None:
        """Block until Ctrl-C or SIGTERM (the CLI's foreground mode)."""
        if threading.current_thread() is threading.main_thread():
            signal.signal(signal.SIGTERM, _interrupt)
        if self._server is None:
            self.start()
        try:
            while self._thread is not None and self._thread.is_alive():
                self._thread.join(timeout=0.5)
        except KeyboardInterrupt:
            pass
        finally:
            self.stop()

    def __enter__(self) -> EmulatorServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt
