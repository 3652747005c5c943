from .pages import PolicyIndexPage, PolicyPage, PolicyVersionPage

__all__ = ["PolicyIndexPage", "PolicyPage", "PolicyVersionPage"]
