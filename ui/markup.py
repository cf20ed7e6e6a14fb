"""Text and look of every page: data shown as written where Streamlit reads markdown, the global CSS
(which also puts Streamlit's own English words in the user's language), the presentation mode's CSS and
the "Copy link" button."""

from __future__ import annotations

import re
import string
from collections.abc import Sequence

import streamlit as st

from sla_core.problems import Issue
from ui.strings import L

_PUNCTUATION = re.compile("([" + re.escape(string.punctuation) + "])")
# GitHub-flavoured markdown links bare URLs and e-mail addresses after escapes are resolved: an invisible
# word joiner after the scheme, the "www" or the "@" keeps them text
_BARE_LINK = re.compile(r"(?i)(?<![a-z0-9])(https?|ftp|www)(?=://|\.)|@")
WORD_JOINER = "\u2060"


def plain(text: object) -> str:
    """Text from data or from a user, shown as written where Streamlit reads markdown (titles, captions,
    alerts, st.markdown): every ASCII punctuation mark is escaped and bare links are broken invisibly,
    so a value never becomes a link, an image the browser fetches, HTML, emphasis, a formula or a
    colour directive."""
    unlinked = _BARE_LINK.sub(lambda m: m.group(0) + WORD_JOINER, str(text))
    return _PUNCTUATION.sub(r"\\\1", unlinked)


_CODE_SPAN = re.compile(r"(`[^`]+`)")


def plain_but_code(text: str) -> str:
    """`plain`, except that `code spans` stay code: markdown draws their content literally, so a command
    a message quotes (`python -m sla_core restore …`) keeps its look and nothing in it is interpreted."""
    return "".join(part if _CODE_SPAN.fullmatch(part) else plain(part) for part in _CODE_SPAN.split(text))


def said(issues: Sequence[Issue], language: str, sep: str = "\n\n") -> str:
    """Problems' messages (which quote values from files and forms) for an alert, as plain text."""
    return sep.join(plain_but_code(i.message(language)) for i in issues)


CSS = """
<style>
.sla-tile-label {font-size: 0.95rem; color: #455a64; margin-bottom: 0.1rem;}
.sla-tile-value {font-size: 2.0rem; font-weight: 700; line-height: 1.15; color: #263238;}
.sla-badge {display: inline-block; padding: 0.05rem 0.55rem; border-radius: 0.8rem; color: white;
            font-size: 0.8rem; font-weight: 600; vertical-align: middle;}
.sla-meta {font-size: 0.85rem; color: #546e7a;}
.sla-sentence {font-size: 0.82rem; color: #37474f; min-height: 2.6em;}
.sla-good {color: #2e7d32;} .sla-bad {color: #c62828;} .sla-flat {color: #78909c;}
.block-container {padding-top: 2.2rem;}
.sla-monthly-misses {font-size: 1rem; color: #37474f; margin: 0.2rem 0 0.6rem 0;}
div[class*="st-key-tile_missed_"] {border-color: #e57373; background: #fff8f8;}
div[class*="st-key-tile_no_data_"] {border-color: #90a4ae; background: #f7f9fa;}
/* Streamlit's own words, in English whatever the user's language: the uploader's "Drag and drop file
   here", "Limit 200MB per file" and "Browse files" are replaced by the page's own caption and label
   (ui.strings "upload_drop"), its "Page not found" dialog (the only dialog without widgets) by a
   toast in the user's language (app.py), and the keyboard's "Skip to main content" link (drawn when
   focused) says it in the user's words ("skip_to_content"). */
[data-testid="stFileUploaderDropzoneInstructions"] > div > * {display: none;}
[data-testid="stFileUploaderDropzoneInstructions"] > div::after {content: var(--sla-drop);
  font-size: 0.875rem; color: rgba(49, 51, 63, 0.6);}
[data-testid="stFileUploaderDropzone"] button [data-testid="stMarkdownContainer"] {display: none;}
[data-testid="stFileUploaderDropzone"] button [data-has-shortcut]::after {content: var(--sla-browse);}
[data-testid="stDialog"]:not(:has([data-testid="stVerticalBlock"])) {display: none !important;}
[data-testid="stSkipToContent"] {font-size: 0 !important;}
[data-testid="stSkipToContent"]::after {content: var(--sla-skip); font-size: 1rem;}
</style>
"""

# The quarterly review on a projector (1920×1080, read from the back of a room): no sidebar, every text
# of the main area at least 20 px, headings larger; tables are drawn as HTML (a data grid's canvas text
# cannot be enlarged) and charts with 18 px fonts.
PRESENTATION_PX = 20
PRESENTATION_CSS = f"""
<style>
section[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"],
[data-testid="stExpandSidebarButton"] {{display: none !important;}}
[data-testid="stMain"] :is(p, li, label, td, th, span, div, input, button) {{
  font-size: {PRESENTATION_PX}px !important; line-height: 1.45 !important;}}
[data-testid="stMain"] h1, [data-testid="stMain"] h1 * {{font-size: 44px !important;}}
[data-testid="stMain"] h3, [data-testid="stMain"] h3 * {{font-size: 30px !important;}}
[data-testid="stMain"] .sla-badge {{font-size: {PRESENTATION_PX}px !important; padding: 0.1rem 0.7rem;}}
[data-testid="stMain"] .sla-monthly-misses {{font-weight: 600;}}
</style>
"""


def style() -> None:
    words = (
        f":root {{--sla-drop: {_css_text(L('upload_drop'))}; --sla-browse: {_css_text(L('upload_browse'))};"
        f" --sla-skip: {_css_text(L('skip_to_content'))};}}"
    )
    st.markdown(CSS.replace("</style>", words + "\n</style>"), unsafe_allow_html=True)


def _css_text(text: str) -> str:
    """Text for a CSS `content` value (quotes and backslashes escaped)."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


# A button copying the address (with its query: the whole view) to the clipboard. Browsers only copy on
# a user's click in the page's own code, so this is the one place with JavaScript: the Clipboard API,
# and on plain http (no secure context) a selected text area and execCommand.
_COPY_LINK_CSS = """
button {font: inherit; font-size: 0.9rem; padding: 0.3rem 0.75rem; border-radius: 0.5rem; cursor: pointer;
        border: 1px solid rgba(49, 51, 63, 0.2); background: white; color: rgb(49, 51, 63);}
button:hover {border-color: #1565c0; color: #1565c0;}
"""
_COPY_LINK_JS = """
export default function(component) {
  const { data, parentElement } = component;
  const button = parentElement.querySelector("button");
  button.textContent = data.label;
  button.title = data.help;
  button.onclick = async () => {
    const link = window.location.href;
    let copied = false;
    try { await navigator.clipboard.writeText(link); copied = true; } catch (e) { copied = false; }
    if (!copied) {
      const area = document.createElement("textarea");
      area.value = link;
      document.body.appendChild(area);
      area.select();
      try { copied = document.execCommand("copy"); } catch (e) { copied = false; }
      area.remove();
    }
    button.textContent = copied ? data.done : data.failed;
    setTimeout(() => { button.textContent = data.label; }, 2500);
  };
}
"""
_copy_link = st.components.v2.component(
    "sla_copy_link",
    html='<button type="button" data-testid="slaCopyLink"></button>',
    css=_COPY_LINK_CSS,
    js=_COPY_LINK_JS,
)


def copy_link_button() -> None:
    """ "Copy link": the address of this view (page, contract, period, filters, language)."""
    with st.sidebar:
        _copy_link(
            key="app_copy_link",
            data={
                "label": L("copy_link"),
                "done": L("link_copied"),
                "failed": L("link_not_copied"),
                "help": L("copy_link_help"),
            },
            width="content",
        )
