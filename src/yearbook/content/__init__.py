"""The yearbook's content: chapters, charts, tables, the narrative, glossary and data-quality appendix.

Public entry points (called by the notebooks and the build):
- `chapters.show_chapter(year, raw, processed, site, chapter)`
- `pages.write_pages(cfg, site_year_dir) -> list[Page]`
- `search.entries(cfg, site_year_dir) -> list[dict]`
- `style` — the house chart style.
"""
