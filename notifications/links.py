"""Where a message leads: the one page of the site that needs the person (the task, the chain of
a rectification or an interview, the meeting), as a path, or as an address with the site's
public URL so a tap in WeCom, DingTalk, Feishu or an e-mail opens it (after a sign-in that
returns there)."""

from __future__ import annotations

TARGET_PATHS = {"task": "/tasks/", "rectification": "/chains/", "interview": "/chains/", "finding": "/chains/",
                "meeting": "/meetings/"}


class SiteLink(str):
    """An address this site made (never text a person typed): a markdown message prints it as a
    link, where every other value is made inert."""


def page_path(target_kind: str | None, target_id: str | None) -> str | None:
    prefix = TARGET_PATHS.get(target_kind or "")
    return f"{prefix}{target_id}" if prefix and target_id else None


def page_link(public_url: str, target_kind: str | None, target_id: str | None) -> SiteLink:
    """The address to open, or "" when the site's public URL is not configured."""
    path = page_path(target_kind, target_id)
    return SiteLink(f"{public_url.rstrip('/')}{path}") if public_url and path else SiteLink("")
