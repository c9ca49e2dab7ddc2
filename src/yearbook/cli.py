"""The `yearbook` command: the Makefile's targets call it."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from yearbook.config import DEFAULT_PROCESSED, DEFAULT_RAW, DEFAULT_SITE, Config, available_years, latest_year


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

    p_sample = sub.add_parser("sample", help="生成示例区县的报表（2020–2022）")
    p_sample.add_argument("--out", type=Path, default=DEFAULT_RAW)
    p_sample.add_argument("--scale", type=int, default=1,
                          help="放大倍数 N：行数约为示例的 N 倍，报送单位约为 √N 倍（默认 1：随附的示例）")

    args = parser.parse_args(argv)

    if args.command == "validate":
        from yearbook.ingest import cli_validate

        return cli_validate(_config(args))
    if args.command == "build":
        from yearbook.build import cli_build

        if args.all:
            years = available_years(args.raw)
            cfgs = [Config(year=y, raw=args.raw, processed=args.processed, site=args.site, strict=args.strict)
                    for y in years]
            return cli_build(cfgs, force=args.force, all_years=True)
        return cli_build([_config(args)], force=args.force, all_years=False)
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
