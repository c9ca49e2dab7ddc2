"""The published yearbook loads nothing from outside the site — proven twice: by parsing every HTML, CSS and JS
file for external URLs, and by loading every page in headless Chromium (Debian's `chromium`) with the network
cut off, asserting no failed request and no console error. Also: the offline search box finds things."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from test_build_workspace import YEAR, Workspace, built  # noqa: F401 (fixture)

CHROMIUM = Path("/usr/bin/chromium")
# Flags measured in ../shared/tech-notes.md; playwright gives every launch a fresh profile (user-data-dir).
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync"]
URL_ATTRIBUTES = {"src", "href", "srcset", "action", "formaction", "data", "poster", "background", "cite",
                  "longdesc", "manifest", "xlink:href", "ping", "content"}
CSS_URL = re.compile(r"""url\(\s*(['"]?)(.*?)\1\s*\)|@import\s+(['"])(.*?)\3""", re.S)
CSS_COMMENT = re.compile(r"/\*.*?\*/", re.S)


def is_external(url: str) -> bool:
    """Anything with a network scheme or a protocol-relative `//host`; relative paths, #fragments, data: are local."""
    url = url.strip()
    if not url or url.startswith(("#", "data:", "javascript:", "mailto:")):
        return False
    if url.startswith("//"):
        return True
    scheme = urlsplit(url).scheme.lower()
    return scheme not in ("", "file")


class UrlCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.urls: list[str] = []
        self._in: str | None = None

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if value is None:
                continue
            if name == "srcset":
                self.urls += [part.strip().split(" ")[0] for part in value.split(",")]
            elif name == "content":
                if "url=" in value.lower():  # <meta http-equiv="refresh" content="0; url=...">
                    self.urls.append(value.lower().split("url=", 1)[1])
            elif name == "style":
                self.urls += css_urls(value)
            elif name in URL_ATTRIBUTES:
                self.urls.append(value)
        self._in = tag if tag in ("style", "script") else None

    def handle_endtag(self, tag):
        self._in = None

    def handle_data(self, data):
        if self._in == "style":
            self.urls += css_urls(data)
        elif self._in == "script":
            self.urls += script_urls(data)


def css_urls(css: str) -> list[str]:
    css = CSS_COMMENT.sub("", css)
    return [m.group(2) or m.group(4) or "" for m in CSS_URL.finditer(css)]


def script_urls(js: str) -> list[str]:
    """Network-looking strings in a script: http(s)://, //host in quotes, import(), fetch()."""
    found = re.findall(r"""https?://[^\s'"<>)]+""", js)
    found += re.findall(r"""["']//[A-Za-z0-9.-]+\.[A-Za-z]{2,}[^"']*["']""", js)
    found += re.findall(r"""\bimport\s*\(\s*["']([^"']+)["']""", js)
    return found


def site_files(ws: Workspace) -> list[Path]:
    return sorted([*ws.year_dir.rglob("*"), ws.site / "index.html"])


def test_is_external() -> None:
    assert is_external("https://cdn.jsdelivr.net/npm/mermaid") and is_external("//fonts.googleapis.com/x")
    assert is_external("http://example.org") and is_external("HTTPS://X.ORG")
    assert not is_external("charts/c1.png") and not is_external("#top") and not is_external("data:image/png;base64,")
    assert not is_external("../index.html") and not is_external("tables/表1-1.xlsx")


def test_the_parser_catches_what_nbconvert_would_load() -> None:
    page = ('<script src="https://cdnjs.cloudflare.com/require.js"></script>'
            '<script type="module">import mermaid from "https://cdn.jsdelivr.net/mermaid.esm.min.mjs";</script>'
            '<style>@import url("//fonts.googleapis.com/css");</style><div style="background:url(http://x.org/a.png)">')
    p = UrlCollector()
    p.feed(page)
    assert sum(is_external(u) for u in p.urls) >= 4


def test_no_file_of_the_site_names_an_external_url(built: Workspace) -> None:
    offenders = []
    for path in site_files(built):
        if path.suffix == ".html":
            p = UrlCollector()
            p.feed(path.read_text(encoding="utf-8"))
            urls = p.urls
        elif path.suffix == ".css":
            urls = css_urls(path.read_text(encoding="utf-8"))
        elif path.suffix == ".js":
            urls = script_urls(path.read_text(encoding="utf-8")) if path.name != "search-index.js" else []
        else:
            continue
        offenders += [f"{path.name}: {u}" for u in urls if is_external(u)]
    assert not offenders, offenders


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        pytest.fail("Debian's chromium is missing: `apt-get install chromium` (.ci/run installs it)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_FLAGS, headless=True)
        try:
            yield b
        finally:
            b.close()


def offline_page(browser, problems: list[str]):
    """A page whose every non-file request is aborted and recorded; console errors and failures recorded."""
    context = browser.new_context(viewport={"width": 1366, "height": 768}, offline=True)
    page = context.new_page()

    def route(r):
        if r.request.url.startswith(("file:", "data:")):
            r.continue_()
        else:
            problems.append(f"external request {r.request.url}")
            r.abort()

    page.route("**/*", route)
    # Content-Security-Policy violations, as the page reports them (Chromium also logs them as console errors)
    page.add_init_script("window.__csp = []; document.addEventListener('securitypolicyviolation', function (e) {"
                         " window.__csp.push(e.violatedDirective + ' ' + e.blockedURI); });")
    page.on("requestfailed", lambda req: problems.append(f"failed {req.url}: {req.failure}"))
    page.on("console", lambda msg: problems.append(f"console {msg.type}: {msg.text}") if msg.type == "error" else None)
    page.on("pageerror", lambda exc: problems.append(f"page error: {exc}"))
    return context, page


def test_every_page_loads_offline_without_errors(built: Workspace, browser) -> None:
    pages = [p for p in site_files(built) if p.suffix == ".html"]
    assert len(pages) >= 12
    problems: list[str] = []
    context, page = offline_page(browser, problems)
    try:
        for path in pages:
            before = len(problems)
            response = page.goto(path.as_uri(), wait_until="load")
            assert response is None or response.ok, path
            page.wait_for_timeout(50)
            problems += [f"CSP violation {v}" for v in page.evaluate("window.__csp")]
            problems[before:] = [f"{path.name}: {m}" for m in problems[before:]]
            # every image of the page is there and decodes (lazy ones loaded first)
            broken = page.evaluate("""async () => {
                const bad = [];
                for (const img of Array.from(document.images)) {
                    img.loading = "eager";
                    try { await img.decode(); } catch (e) { bad.push(img.src.slice(0, 80)); }
                }
                return bad;
            }""")
            problems += [f"{path.name}: broken image {b}" for b in broken]
    finally:
        context.close()
    csp = [m for m in problems if "Content Security Policy" in m or "CSP violation" in m]
    assert not csp, "\n".join(csp)
    assert not problems, "\n".join(problems)


def test_search_box_finds_indicators_offline(built: Workspace, browser) -> None:
    problems: list[str] = []
    context, page = offline_page(browser, problems)
    try:
        page.goto((built.year_dir / "index.html").as_uri())
        page.fill("#yb-q", "覆盖率")
        results = page.locator("#yb-results li a")
        assert results.count() >= 1
        assert "覆盖率" in results.first.inner_text()
        href = results.first.get_attribute("href")
        assert (built.year_dir / href.split("#")[0]).is_file()
        page.fill("#yb-q", "不存在的词语组合")
        assert "没有找到" in page.locator("#yb-results").inner_text()
        page.press("#yb-q", "Enter")  # submitting the search box stays on the page, without a CSP violation
        page.wait_for_timeout(50)
        assert page.url.split("#")[0] == (built.year_dir / "index.html").as_uri()
        problems += [f"CSP violation {v}" for v in page.evaluate("window.__csp")]
        page.keyboard.press("Escape")
    finally:
        context.close()
    assert not problems, problems


def test_a_chapter_prints_on_a4(built: Workspace, browser, tmp_path: Path) -> None:
    """The print stylesheet: the screen chrome is gone and the chapter makes an A4 PDF."""
    problems: list[str] = []
    context, page = offline_page(browser, problems)
    try:
        page.goto((built.year_dir / "03_organization.html").as_uri())
        page.emulate_media(media="print")
        assert not page.locator(".yb-sidebar").is_visible() and not page.locator(".yb-header").is_visible()
        assert page.locator("#yb-content").is_visible()
        pdf = page.pdf(path=str(tmp_path / "chapter.pdf"), prefer_css_page_size=True)
        assert pdf[:4] == b"%PDF" and len(pdf) > 10_000
        width_pt = re.search(rb"/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)", pdf)
        assert width_pt and abs(float(width_pt.group(1)) - 595.92) < 2  # A4 is 210 mm = 595.3 pt wide
    finally:
        context.close()
    assert not problems, problems


class _Heads(HTMLParser):
    """The <meta> elements of <head>, in order, and what comes before the first script or stylesheet."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.policy: str | None = None
        self.loaded_before_policy: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "meta" and (a.get("http-equiv") or "").lower() == "content-security-policy":
            self.policy = self.policy or a.get("content") or ""
        elif self.policy is None and (tag in ("script", "style", "img") or (tag == "link" and a.get("rel") == "stylesheet")):
            self.loaded_before_policy.append(tag)


def test_every_page_carries_a_content_security_policy(built: Workspace) -> None:
    """Everything is local: a CSP meta before anything is loaded, no script or connection from elsewhere, no inline
    script (the browser test below checks that no page violates it)."""
    pages = [p for p in site_files(built) if p.suffix == ".html"]
    for path in pages:
        p = _Heads()
        p.feed(path.read_text(encoding="utf-8"))
        assert p.policy, path.name
        assert not p.loaded_before_policy, (path.name, p.loaded_before_policy)
        directives = dict((d.split() + [""])[:2] for d in p.policy.split(";") if d.strip())
        assert directives.get("default-src") == "'none'", path.name
        assert "unsafe-inline" not in directives.get("script-src", "") and "unsafe-eval" not in p.policy, path.name
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"<[a-z][^>]*\son[a-z]+\s*=", text), f"{path.name}: an inline event handler"
