#!/usr/bin/env python3
"""differential.py - compare zonelint's parser with BIND and dnspython, record by record.

For every zone file given (directories are searched recursively for `*.zone`), where BIND
accepts the file (`named-compilezone -i none -s full -o - ORIGIN FILE` exits 0), three
readings of the file are put in RFC 3597 generic form, one record per line,

    OWNER TTL CLASS TYPE \\# LEN HEX

and compared as sorted lines:

  zonelint  `zonelint dump --generic --origin ORIGIN FILE` (skipped with --no-zonelint)
  dnspython `dns.zone.from_file(FILE, ORIGIN, relativize=False, check_origin=False)`,
            each rdata as `rdata.to_wire()` (uncompressed)
  bind      BIND's canonical output (`-s full`), read back with dnspython the same way

Owners are compared in canonical form (lowercased, escapes normalised through dnspython);
the class and type mnemonics are normalised through dnspython (so `TYPE99` and `SPF`
compare equal); HEX is upper case. Every tool runs in the file's directory, so `$INCLUDE`
paths are relative to the top-level file's directory for all three (BIND resolves them
against its working directory, even inside an included file).

zonelint exiting 1 (error diagnostics) still has its records compared; the errors are
reported as a failure of their own, since a file BIND accepts should have none.

A file whose header has `; reference: bind` (BIND and dnspython read it differently) is
compared with BIND alone.

The origin of FILE is, in this order: a first-line comment `; origin: NAME`; a sidecar
file `FILE.origin` holding the name; `.` for `root.zone` and `root-*.zone`; otherwise the
file name without `.zone` (`example.com.zone` is `example.com.`). See testdata/README.md.

Exit status: 0 when every compared file is identical on every side, 1 when any file
differs or a tool that must accept a file did not, 2 on bad usage.
"""

from __future__ import annotations

import argparse
import collections
import os
import re
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

try:
    import dns.exception
    import dns.name
    import dns.rdataclass
    import dns.rdatatype
    import dns.zone
except ImportError:  # pragma: no cover - depends on the machine
    sys.exit("differential.py: dnspython is not installed (pip install 'dnspython>=2.9,<3')")

ORIGIN_COMMENT = re.compile(rb"^\s*;\s*origin:\s*(\S+)", re.IGNORECASE)
BOM = b"\xef\xbb\xbf"


# ------------------------------------------------------------------ origins and files


def origin_of(path: Path) -> str:
    """The origin of a test zone file, by the convention in testdata/README.md."""
    with open(path, "rb") as handle:
        first_line = handle.readline()
    if first_line.startswith(BOM):
        first_line = first_line[len(BOM) :]
    match = ORIGIN_COMMENT.match(first_line)
    if match:
        return absolute(match.group(1).decode("ascii"))
    sidecar = path.with_name(path.name + ".origin")
    if sidecar.is_file():
        return absolute(sidecar.read_text(encoding="ascii").strip())
    stem = path.name[: -len(".zone")] if path.name.endswith(".zone") else path.name
    if stem == "root" or stem.startswith("root-"):
        return "."
    return absolute(stem)


REFERENCE_COMMENT = re.compile(rb"^\s*;\s*reference:\s*bind\b", re.IGNORECASE)


def bind_only(path: Path) -> bool:
    """Whether the file's header says `; reference: bind`: BIND and dnspython read it
    differently (testdata/extra/), and zonelint is compared with BIND alone."""
    with open(path, "rb") as handle:
        for _, line in zip(range(20), handle):
            if REFERENCE_COMMENT.match(line):
                return True
            if not line.lstrip().startswith(b";"):
                return False
    return False


def absolute(name: str) -> str:
    """`name` with a final dot."""
    return name if name.endswith(".") else name + "."


def zone_files(paths: list[Path]) -> list[Path]:
    """Every `*.zone` file under `paths` (files given directly are taken as they are)."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found.extend(sorted(p for p in path.rglob("*.zone") if p.is_file()))
        elif path.is_file():
            found.append(path)
        else:
            raise FileNotFoundError(f"{path}: no such file or directory")
    return found


# ------------------------------------------------------------------ generic form


def canonical_owner(text: str) -> str:
    """An owner name as dnspython prints it, lowercased (an absolute name is expected)."""
    return dns.name.from_text(text).canonicalize().to_text()


def generic_line(owner: str, ttl: int, rdclass: int, rdtype: int, wire: bytes) -> str:
    """One record in the compared form."""
    line = (
        f"{owner} {ttl} {dns.rdataclass.to_text(rdclass)} "
        f"{dns.rdatatype.to_text(rdtype)} \\# {len(wire)}"
    )
    return f"{line} {wire.hex().upper()}" if wire else line


def generic_lines_of_zone(zone: dns.zone.Zone) -> list[str]:
    """Every record of a dnspython zone, in generic form, sorted."""
    lines = []
    for name, rdataset in zone.iterate_rdatasets():
        owner = name.canonicalize().to_text()
        for rdata in rdataset:
            lines.append(
                generic_line(owner, rdataset.ttl, rdata.rdclass, rdata.rdtype, rdata.to_wire())
            )
    return sorted(lines)


def normalise_generic_line(line: str) -> str:
    """Re-prints one line of `zonelint dump --generic` in the compared form.

    Raises ValueError with the reason when the line is not `OWNER TTL CLASS TYPE \\# LEN HEX`.
    """
    tokens = line.split()
    if len(tokens) < 6 or tokens[4] != "\\#":
        raise ValueError("expected `OWNER TTL CLASS TYPE \\# LEN HEX...`")
    owner, ttl, rdclass, rdtype, _, length, *hex_chunks = tokens
    if not ttl.isdigit() or not length.isdigit():
        raise ValueError("TTL and LEN must be decimal numbers")
    try:
        wire = bytes.fromhex("".join(hex_chunks))
    except ValueError as error:
        raise ValueError(f"bad hex: {error}") from None
    if len(wire) != int(length):
        raise ValueError(f"LEN is {length} but the hex holds {len(wire)} octets")
    return generic_line(
        canonical_owner(owner),
        int(ttl),
        dns.rdataclass.from_text(rdclass),
        dns.rdatatype.from_text(rdtype),
        wire,
    )


# ------------------------------------------------------------------ the three readings


class ReadingFailed(Exception):
    """A tool could not read a file that it was expected to read."""


def run(command: list[str], cwd: Path, timeout: int = 600) -> subprocess.CompletedProcess:
    """Runs a command in `cwd`, capturing its output as bytes."""
    return subprocess.run(
        command, cwd=cwd, capture_output=True, timeout=timeout, stdin=subprocess.DEVNULL
    )


def bind_canonical_text(path: Path, origin: str, named_compilezone: str) -> tuple[bool, str]:
    """(accepted, output or error text) of `named-compilezone -i none -s full -o -`."""
    result = run(
        [named_compilezone, "-i", "none", "-s", "full", "-o", "-", origin, path.name],
        cwd=path.parent,
    )
    if result.returncode != 0:
        message = (result.stderr + result.stdout).decode("utf-8", "replace").strip()
        return False, message
    return True, result.stdout.decode("utf-8", "surrogateescape")


def read_with_dnspython(path: Path, origin: str) -> list[str]:
    """The dnspython reading of the file (run from the file's directory, for `$INCLUDE`)."""
    previous = os.getcwd()
    try:
        os.chdir(path.parent)
        zone = dns.zone.from_file(
            path.name, origin, relativize=False, check_origin=False
        )
    except (dns.exception.DNSException, OSError, UnicodeError) as error:
        raise ReadingFailed(f"dnspython rejected the file: {type(error).__name__}: {error}")
    finally:
        os.chdir(previous)
    return generic_lines_of_zone(zone)


def read_bind_output(text: str, origin: str) -> list[str]:
    """BIND's canonical output, read back with dnspython."""
    try:
        zone = dns.zone.from_text(text, origin, relativize=False, check_origin=False)
    except dns.exception.DNSException as error:
        raise ReadingFailed(
            f"dnspython could not read BIND's canonical output: {type(error).__name__}: {error}"
        )
    return generic_lines_of_zone(zone)


ERROR_HEADLINE = re.compile(r"^\s*× (.*)\n(?:\s*│.*\n)*\s*╭─\[(.*?)\]", re.MULTILINE)


def read_with_zonelint(
    path: Path, origin: str, zonelint: str, problems: list[str]
) -> list[str]:
    """`zonelint dump --generic --origin ORIGIN FILE`, normalised.

    Exit 1 (error diagnostics found) still yields the records printed, so they are compared
    too; the errors are appended to `problems` (a file BIND accepts should have none).
    """
    result = run(
        [zonelint, "dump", "--generic", "--color", "never", "--origin", origin, path.name],
        cwd=path.parent,
    )
    stderr = result.stderr.decode("utf-8", "replace")
    if result.returncode not in (0, 1):
        raise ReadingFailed(f"zonelint dump exited {result.returncode}: {stderr.strip()[:2000]}")
    if result.returncode == 1:
        errors = [f"{where}: {message}" for message, where in ERROR_HEADLINE.findall(stderr)]
        shown = "; ".join(errors[:5]) or stderr.strip()[:2000]
        more = f" (and {len(errors) - 5} more)" if len(errors) > 5 else ""
        problems.append(f"zonelint: {len(errors)} error diagnostic(s): {shown}{more}")
    lines = []
    for number, raw in enumerate(result.stdout.decode("utf-8", "surrogateescape").splitlines(), 1):
        if not raw.strip():
            continue
        try:
            lines.append(normalise_generic_line(raw))
        except (ValueError, dns.exception.DNSException) as error:
            raise ReadingFailed(f"zonelint dump line {number} {raw!r}: {error}") from None
    return sorted(lines)


# ------------------------------------------------------------------ comparison


@dataclass
class Outcome:
    """What happened to one file."""

    path: Path
    origin: str
    skipped: str | None = None  # why the file was not compared (BIND rejected it)
    records: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def differences(
    left_label: str, left: list[str], right_label: str, right: list[str], limit: int
) -> list[str]:
    """The lines only one side has (as multisets), at most `limit` per side; empty if equal."""
    if left == right:
        return []
    left_count, right_count = collections.Counter(left), collections.Counter(right)
    only_left = sorted((left_count - right_count).elements())
    only_right = sorted((right_count - left_count).elements())
    report = [f"{left_label} ({len(left)} records) vs {right_label} ({len(right)} records):"]
    for label, lines in ((left_label, only_left), (right_label, only_right)):
        report.append(f"  only in {label}: {len(lines)} line(s)")
        report.extend(f"    {line}" for line in lines[:limit])
        if len(lines) > limit:
            report.append(f"    ... and {len(lines) - limit} more")
    return report


def compare_file(
    path: Path,
    zonelint: str | None,
    named_compilezone: str,
    limit: int,
    expected: Path | None = None,
    write_expected: bool = False,
) -> Outcome:
    """Reads one file three ways and compares the readings (and with `expected`, the
    committed expected reading, a fourth side; `write_expected` rewrites that file from
    BIND's reading once dnspython agrees with it)."""
    origin = origin_of(path)
    outcome = Outcome(path, origin)
    accepted, bind_text = bind_canonical_text(path, origin, named_compilezone)
    if not accepted:
        outcome.skipped = "BIND rejects it: " + " | ".join(bind_text.splitlines()[-2:])
        return outcome
    readings: dict[str, list[str]] = {}
    for label, read in (
        ("bind", lambda: read_bind_output(bind_text, origin)),
        ("dnspython", None if bind_only(path) else lambda: read_with_dnspython(path, origin)),
        (
            "zonelint",
            (lambda: read_with_zonelint(path, origin, zonelint, outcome.problems))
            if zonelint
            else None,
        ),
    ):
        if read is None:
            continue
        try:
            readings[label] = read()
        except ReadingFailed as error:
            outcome.problems.append(f"{label}: {error}")
    outcome.records = len(readings.get("bind", []))
    if expected is not None:
        references_agree = "bind" in readings and readings.get("dnspython") == readings["bind"]
        if write_expected and references_agree:
            expected.parent.mkdir(parents=True, exist_ok=True)
            expected.write_text("".join(line + "\n" for line in readings["bind"]), "utf-8")
        if expected.is_file():
            readings["expected"] = expected.read_text("utf-8").splitlines()
        else:
            outcome.problems.append(
                f"expected: {expected} is missing (write it with --write-expected)"
            )
    # Readings that agree are merged under one label ("dnspython = bind = expected"), so a
    # zonelint difference is shown once; then each pair of the remaining groups once.
    groups: list[tuple[str, list[str]]] = []
    for label in ("zonelint", "dnspython", "bind", "expected"):
        if label not in readings:
            continue
        for index, (group_label, lines) in enumerate(groups):
            if lines == readings[label]:
                groups[index] = (f"{group_label} = {label}", lines)
                break
        else:
            groups.append((label, readings[label]))
    for i, (left, left_lines) in enumerate(groups):
        for right, right_lines in groups[i + 1 :]:
            outcome.problems.extend(differences(left, left_lines, right, right_lines, limit))
    return outcome


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("paths", nargs="+", type=Path, help="zone files or directories")
    which = parser.add_mutually_exclusive_group(required=True)
    which.add_argument("--zonelint", help="the zonelint binary to test")
    which.add_argument(
        "--no-zonelint",
        action="store_true",
        help="compare only dnspython with BIND (validates the fixtures and this harness)",
    )
    parser.add_argument("--named-compilezone", default="named-compilezone")
    parser.add_argument(
        "--limit", type=int, default=8, help="differing lines shown per side (default 8)"
    )
    parser.add_argument(
        "--expected-root",
        type=Path,
        help="files under this directory have a committed expected reading in --expected-dir",
    )
    parser.add_argument(
        "--expected-dir",
        type=Path,
        help="where the expected readings are: the file's path below --expected-root, "
        "with `.zone` replaced by `.generic`",
    )
    parser.add_argument(
        "--write-expected",
        action="store_true",
        help="rewrite the expected readings from BIND's (where dnspython agrees with it)",
    )
    parser.add_argument(
        "--require-accepted",
        type=Path,
        action="append",
        default=[],
        help="fail if BIND rejects any file under this path (for fixtures meant to be valid)",
    )
    args = parser.parse_args(argv)

    try:
        files = zone_files(args.paths)
    except FileNotFoundError as error:
        print(f"differential.py: {error}", file=sys.stderr)
        return 2
    if not files:
        print("differential.py: no *.zone files found in " + ", ".join(map(str, args.paths)))
        return 2
    zonelint = None if args.no_zonelint else str(Path(args.zonelint).resolve())
    required = [p.resolve() for p in args.require_accepted]
    if (args.expected_root is None) != (args.expected_dir is None):
        print("differential.py: give --expected-root and --expected-dir together", file=sys.stderr)
        return 2
    expected_root = args.expected_root.resolve() if args.expected_root else None

    def expected_of(path: Path) -> Path | None:
        if expected_root is None or not path.is_relative_to(expected_root):
            return None
        relative = path.relative_to(expected_root)
        return args.expected_dir.resolve() / relative.with_suffix(".generic")

    sides = "zonelint, dnspython, bind" if zonelint else "dnspython, bind (no zonelint)"
    print(f"# comparing {sides} on {len(files)} file(s)")
    identical = failed = skipped = 0
    for path in files:
        resolved = path.resolve()
        outcome = compare_file(
            resolved,
            zonelint,
            args.named_compilezone,
            args.limit,
            expected_of(resolved),
            args.write_expected,
        )
        shown = os.path.relpath(path)
        if outcome.skipped is not None:
            must_accept = any(outcome.path.is_relative_to(root) for root in required)
            if must_accept:
                failed += 1
                print(f"FAIL {shown} (origin {outcome.origin}): {outcome.skipped}")
            else:
                skipped += 1
                print(f"skip {shown} (origin {outcome.origin}): {outcome.skipped}")
            continue
        if outcome.ok:
            identical += 1
            print(f"ok   {shown} (origin {outcome.origin}): identical, {outcome.records} records")
        else:
            failed += 1
            print(f"FAIL {shown} (origin {outcome.origin}):")
            for line in outcome.problems:
                print(f"  {line}")
    # The plain closing line CI reads: identical files pass, differing ones fail.
    print(f"differential: {identical} passed, {failed} failed, {skipped} skipped")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
