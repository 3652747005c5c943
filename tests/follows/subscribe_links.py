"""The links of the e-mails the tests' SMTP server received, as paths for the client."""

import re


def body(message) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()


def links(message) -> list[str]:
    return re.findall(r"https?://\S+", body(message))


def path_of(url: str) -> str:
    """The path of an absolute link of an e-mail (the site's base is not the client's)."""
    return "/" + url.split("://", 1)[1].split("/", 1)[1]


def confirmation_link(message) -> str:
    """The confirmation link, in English (`/follows/confirm/`) or French (`/suivis/confirmer/`)."""
    [link] = [link for link in links(message) if re.search(r"/(confirm|confirmer)/", link)]
    return path_of(link)
