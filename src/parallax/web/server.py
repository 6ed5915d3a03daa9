"""Running the web app with uvicorn (`parallax serve`)."""

from __future__ import annotations

import ipaddress

from parallax.errors import ServeRefused


def is_loopback(host: str) -> bool:
    """True for localhost and addresses in 127.0.0.0/8 or ::1; names other than localhost are
    not resolved (they could point anywhere), so they count as not loopback."""
    if host.strip("[]").lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def serve(db_url: str, host: str, port: int, token: str | None) -> None:
    """Open the store and serve the app until interrupted. Any address but loopback needs a
    token (write endpoints ask for it); loopback servers only answer to loopback Host names."""
    import uvicorn

    from parallax.store.repo import Store
    from parallax.web.app import LOOPBACK_HOSTS, create_app

    local = is_loopback(host)
    if not local and not token:
        raise ServeRefused(
            reason=f"serving on {host} (not localhost) needs --token (or PARALLAX_TOKEN) so "
            "that only you can add articles"
        )
    store = Store(db_url)
    app = create_app(store, token=token or None, allowed_hosts=LOOPBACK_HOSTS if local else None)
    uvicorn.run(app, host=host, port=port, log_level="info", server_header=False)
