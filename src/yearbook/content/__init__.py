"""The yearbook's content: chapters, charts, tables, the narrative, glossary and data-quality appendix.

Public entry points (called by the notebooks and the build):
- `show.show_chapter(year, raw, processed, site, chapter, prepared=None)` (a chapter notebook)
- `chapters.build_chapter(src, chapter, draw=False)` (the build: every chapter's plan, computed once)
- `pages.write_pages(cfg, site_year_dir) -> list[Page]`
- `search.entries(cfg, site_year_dir) -> list[dict]`
- `style` — the house chart style.
"""
