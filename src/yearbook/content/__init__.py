"""The yearbook's content: chapters, charts, tables, the narrative, glossary and data-quality appendix.

One module per chapter (`overview`, `political`, `ideology`, `organization`, `discipline`, `united_front`), each a
list of sections; `builder` and `widgets` are what the sections share; `chapters` knows which module builds which
chapter. Public entry points (called by the notebooks and the build):
- `page.ChapterPage(chapter, year, raw, processed, site).show(section)` (a chapter notebook, section by section)
- `chapters.build_chapter(source, chapter, draw=False, sections=…)` (the build: every chapter's plan, computed once)
- `pages.write_pages(cfg, site_year_dir) -> list[Page]`
- `search.entries(cfg, site_year_dir) -> list[dict]`
- `style` — the house chart style.
"""
