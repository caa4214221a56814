"""What users of the service may do with Jupyter's own resources: nothing, but for our API and a
teacher using the kernel of their own dashboard.

The service is a Jupyter server (for Voila's kernels and pages), but it holds the class's data:
its contents, terminals, sessions and kernels APIs must not serve anyone who can log in to the Hub.
Our REST handlers make their own decisions (learner, teacher of a course) and do not ask this.
"""

from __future__ import annotations

from typing import Any

from jupyter_server.auth.authorizer import Authorizer

from ..dashboard.server import DASHBOARD_KERNELS
from ..routes import AUTH_RESOURCE, TEACHER_AUTH_RESOURCE

__all__ = ["DASHBOARD_MESSAGE_TYPES", "ServiceAuthorizer"]

#: The kernel messages a dashboard page may send: widget traffic and kernel info. Code execution
#: (``execute_request``) happens only on the server, by Voila, so a teacher's browser cannot run
#: code in the service's environment.
DASHBOARD_MESSAGE_TYPES = (
    "comm_open",
    "comm_msg",
    "comm_close",
    "comm_info_request",
    "kernel_info_request",
)


class ServiceAuthorizer(Authorizer):
    """Allows only the kernels API, and only for the teacher whose dashboard started the kernel."""

    def is_authorized(self, handler: Any, user: Any, action: str, resource: str) -> bool:
        """Our API (whose handlers decide who is a learner and who teaches) and a dashboard
        kernel to its own teacher; no other Jupyter resource."""
        if resource in (AUTH_RESOURCE, TEACHER_AUTH_RESOURCE):
            return True
        if resource != "kernels":
            return False
        kernel_id = handler.path_kwargs.get("kernel_id")
        return kernel_id is not None and DASHBOARD_KERNELS.get(kernel_id) == user.username
