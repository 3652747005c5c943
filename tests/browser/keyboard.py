"""Moving through a page with the keyboard alone, as a person who uses no mouse does,
and checking at each step that the focused element shows where it is (WCAG 2.4.7)."""

from playwright.sync_api import Page

#: What the focused element is, and whether it draws a focus indicator.
FOCUSED = """() => {
    const el = document.activeElement;
    if (!el || el === document.body) return null;
    const style = getComputedStyle(el);
    const outline = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0;
    const shadow = style.boxShadow && style.boxShadow !== 'none';
    const label = el.labels && el.labels.length ? el.labels[0].innerText : '';
    return {
        tag: el.tagName.toLowerCase(),
        type: el.type || '',
        name: el.name || '',
        value: el.value || '',
        id: el.id || '',
        text: (el.innerText || label || el.getAttribute('aria-label') || '').trim().slice(0, 80),
        href: el.getAttribute('href') || '',
        visible: Boolean(outline || shadow),
    };
}"""

MAX_TABS = 150


class FocusNotFound(AssertionError):
    pass


def focused(page: Page) -> dict | None:
    return page.evaluate(FOCUSED)


def tab_to(page: Page, matches, *, invisible: list[str]) -> dict:
    """Press Tab until the focused element satisfies `matches` (a predicate on the dict
    FOCUSED returns); every element passed on the way without a visible focus
    indicator is added to `invisible`."""
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        element = focused(page)
        if element is None:
            continue
        if not element["visible"]:
            invisible.append(f"{page.url}: <{element['tag']}> {element['id'] or element['text']}")
        if matches(element):
            return element
    raise FocusNotFound(f"no element matching the search reached by Tab on {page.url}")
