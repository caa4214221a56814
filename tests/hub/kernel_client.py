"""Run code in a kernel of a Jupyter server behind the Hub, over the kernel's websocket, as
JupyterLab does; return what it printed."""

from __future__ import annotations

import asyncio
import json
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime

from tornado.httpclient import HTTPRequest
from tornado.websocket import websocket_connect

__all__ = ["run_code"]


def _message(code: str, session: str) -> dict[str, object]:
    return {
        "header": {
            "msg_id": uuid.uuid4().hex,
            "msg_type": "execute_request",
            "username": "test",
            "session": session,
            "date": datetime.now(UTC).isoformat(),
            "version": "5.3",
        },
        "parent_header": {},
        "metadata": {},
        "content": {
            "code": code,
            "silent": False,
            "store_history": False,
            "user_expressions": {},
            "allow_stdin": False,
        },
        "channel": "shell",
    }


async def _run(url: str, token: str, code: str, timeout: float) -> str:
    request = HTTPRequest(
        url.replace("http://", "ws://"), headers={"Authorization": f"token {token}"}
    )
    connection = await websocket_connect(request)
    message = _message(code, uuid.uuid4().hex)
    await connection.write_message(json.dumps(message))
    printed = []
    msg_id = message["header"]["msg_id"]  # type: ignore[index]
    while True:
        raw = await asyncio.wait_for(connection.read_message(), timeout)
        if raw is None:
            raise ConnectionError("the kernel's websocket closed")
        reply = json.loads(raw)
        if reply.get("parent_header", {}).get("msg_id") != msg_id:
            continue
        kind = reply["header"]["msg_type"]
        if kind == "stream":
            printed.append(reply["content"]["text"])
        elif kind == "error":
            raise RuntimeError("\n".join(reply["content"]["traceback"]))
        elif kind == "status" and reply["content"]["execution_state"] == "idle":
            connection.close()
            return "".join(printed)


def run_code(server_url: str, kernel_id: str, token: str, code: str, timeout: float = 60) -> str:
    """Execute ``code`` in the kernel ``kernel_id`` of the server at ``server_url``.

    The websocket runs on an event loop of its own thread: the calling thread may already run
    one (Playwright's, pytest-jupyter's).
    """
    url = f"{server_url}/api/kernels/{kernel_id}/channels"
    with ThreadPoolExecutor(max_workers=1) as thread:
        return thread.submit(asyncio.run, _run(url, token, code, timeout)).result()
