"""The WeCom / Official Account emulator: a real HTTP server with the platform's rules.

with EmulatorServer(EmulatorConfig(users=["zhangsan"])) as emu:
    httpx.get(emu.wecom_api_base + "gettoken", params={...})
    emu.state.received("user:zhangsan")
"""

from sandbox.emulator.config import EmulatorConfig, FaultConfig, ManualClock
from sandbox.emulator.server import EmulatorServer
from sandbox.emulator.state import EmulatorState

__all__ = ["EmulatorConfig", "EmulatorServer", "EmulatorState", "FaultConfig", "ManualClock"]
