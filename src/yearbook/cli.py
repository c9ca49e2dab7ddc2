"""The `yearbook` command: the Makefile's targets call it."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from yearbook.config import (DEFAULT_PROCESSED, DEFAULT_RAW, DEFAULT_SITE, Config, available_years, check_year,
                              latest_year, year_problems)


def _common(p: argparse.ArgumentParser) -> None:
    p.add_argument("--year", type=int, help="统计年度（默认：RAW 下最新的年度）")
    p.add_argument("--raw", type=Path, default=DEFAULT_RAW)
    p.add_argument("--processed", type=Path, default=DEFAULT_PROCESSED)
    p.add_argument("--site", type=Path, default=DEFAULT_SITE)
    strict = p.add_mutually_exclusive_group()
    strict.add_argument("--strict", dest="strict", action="store_true", default=True,
                        help="有强制性审核错误时不发布（默认）")
    strict.add_argument("--no-strict", dest="strict", action="store_false", help="草稿：剔除有错误的行后照常生成")


def _config(args: argparse.Namespace) -> Config:
    if args.year is not None:
        check_year(args.year)
    year = args.year if args.year else latest_year(args.raw)
    return Config(year=year, raw=args.raw, processed=args.processed, site=args.site, strict=args.strict)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="yearbook", description="区委党建统计年鉴")
    sub = parser.add_subparsers(dest="command", required=True)

    p_validate = sub.add_parser("validate", help="读取并审核一个年度的报表")
    _common(p_validate)

    p_build = sub.add_parser("build", help="审核、计算指标、运行笔记本并发布年鉴")
    _common(p_build)
    p_build.add_argument("--all", action="store_true", help="生成 RAW 下的所有年度")
    p_build.add_argument("--force", action="store_true", help="忽略缓存，全部重新生成")

    p_preview = sub.add_parser("preview", help="本机预览：提供年鉴网页，文件有变化时自动重新生成并刷新页面")
    _common(p_preview)
    p_preview.add_argument("--port", type=int, default=8000, help="端口（默认 8000；0 表示任选一个空闲端口）")

    p_sample = sub.add_parser("sample", help="生成示例区县的报表（2020–2022）")
    p_sample.add_argument("--out", type=Path, default=DEFAULT_RAW)
    p_sample.add_argument("--scale", type=int, default=1,
                          help="放大倍数 N：行数约为示例的 N 倍，报送单位约为 √N 倍（默认 1：随附的示例）")

    p_templates = sub.add_parser("templates", help="生成一个年度的填报模板（每个应报单位每张报表一个）")
    p_templates.add_argument("--year", type=int, required=True, help="统计年度")
    p_templates.add_argument("--raw", type=Path, default=DEFAULT_RAW)
    p_templates.add_argument("--out", type=Path, default=Path("data/templates"))

    p_spec = sub.add_parser("spec", help="由报表声明生成报表制度文档")
    p_spec.add_argument("--doc", type=Path, default=Path("docs/reporting-system.md"))
    p_spec.add_argument("--out", type=Path, default=Path("data/templates"))

    p_receive = sub.add_parser("receive", help="收表：把收件文件夹中的报表归档到 RAW")
    _common(p_receive)
    p_receive.add_argument("--inbox", type=Path, required=True)

    p_status = sub.add_parser("status", help="报送情况：未报、审核未通过、待核实、已通过，催报名单")
    _common(p_status)

    args = parser.parse_args(argv)
    if args.command in ("validate", "build", "status", "preview"):
        for line in year_problems(args.raw):  # RAW/0000, an empty RAW/9999: said once, never a traceback
            print(line, file=sys.stderr)
        # what they write in PROCESSED and build/ holds personal data: private (0700/0600), the kernels too; the
        # build makes what it publishes readable by all
        os.umask(0o077)
    try:
        return _run(parser, args)
    except KeyboardInterrupt:  # Ctrl-C outside a year's build (which says which year it stopped): no traceback
        print("已中断。", flush=True)
        return 130


def _run(parser: argparse.ArgumentParser, args: argparse.Namespace) -> int:
    if args.command == "validate":
        from yearbook.pipeline import locks
        from yearbook.ingest import cli_validate

        cfg = _config(args)
        with locks.hold([locks.lock_file(cfg.processed, cfg.year)], on_wait=lambda: print(
                f"另一个 {cfg.year} 年度的生成或审核正在写同一个 PROCESSED，等待它结束……", flush=True)):
            return cli_validate(cfg)
    if args.command == "build":
        from yearbook.pipeline import cli_build

        if args.all:
            years = available_years(args.raw)
            cfgs = [Config(year=y, raw=args.raw, processed=args.processed, site=args.site, strict=args.strict)
                    for y in years]
            return cli_build(cfgs, force=args.force, all_years=True)
        cfg = _config(args)
        if cfg.raw_year.is_dir() and cfg.year not in available_years(args.raw):
            print(f"{cfg.year}年度未发布：{cfg.raw_year} 中没有任何表号文件夹（如 DJ00、DJ06）。", file=sys.stderr)
            return 1
        return cli_build([cfg], force=args.force, all_years=False)
    if args.command == "preview":
        from yearbook.pipeline.preview import cli_preview

        cfg = _config(args)
        if cfg.year not in available_years(args.raw):
            print(f"无法预览 {cfg.year} 年度：{cfg.raw_year} 中没有任何表号文件夹（如 DJ00、DJ06）。", file=sys.stderr)
            return 1
        return cli_preview(cfg, port=args.port)
    if args.command == "templates":
        from yearbook.collect.templates import cli_templates

        return cli_templates(args.raw, args.year, args.out)
    if args.command == "spec":
        from yearbook.collect.spec import cli_spec

        return cli_spec(args.doc, args.out)
    if args.command == "receive":
        from yearbook.collect.receive import cli_receive

        if not args.year:
            parser.error("receive 需要 --year")
        return cli_receive(args.raw, args.year, args.inbox)
    if args.command == "status":
        from yearbook.collect.status import cli_status
        from yearbook.pipeline import locks

        cfg = _config(args)
        with locks.hold([locks.lock_file(cfg.processed, cfg.year)], on_wait=lambda: print(
                f"另一个 {cfg.year} 年度的生成或审核正在写同一个 PROCESSED，等待它结束……", flush=True)):
            return cli_status(cfg)
    if args.command == "sample":
        from yearbook.sample import write_sample

        if args.scale < 1:
            parser.error("--scale 须为不小于 1 的整数")
        write_sample(args.out, args.scale)
        return 0
    parser.error(f"unknown command {args.command}")
    return 2


if __name__ == "__main__":
    sys.exit(main())
