#!/usr/bin/env python3
"""Unit tests of differential.py on tiny files: python3 -m unittest discover -s scripts."""

import os
import shutil
import stat
import sys
import tempfile
import textwrap
import unittest
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import differential  # noqa: E402

TINY = textwrap.dedent(
    """\
    ; origin: tiny.example.
    $TTL 300
    @    IN SOA ns1 hostmaster 1 7200 3600 1209600 300
         IN NS  ns1
    NS1  IN A   192.0.2.1
    spf  IN TYPE99 "v=spf1 -all"
    """
)
# The same records in the generic form, as a correct `zonelint dump --generic` could print
# them: any owner case, TYPEnnn or mnemonic, hex in any case and split anywhere.
TINY_GENERIC = [
    "tiny.example. 300 IN SOA \\# 63 036E73310474696E79076578616D706C65000A686F73746D61737465720474696E79076578616D706C65000000000100001C2000000E10001275000000012C",
    "TINY.example. 300 IN NS \\# 18 036e73310474696e79076578616d706c6500",
    "ns1.tiny.example. 300 CLASS1 TYPE1 \\# 4 C000 0201",
    "spf.tiny.example. 300 IN TYPE99 \\# 12 0B763D73706631202D616C6C",
]


def fake_zonelint(directory: Path, lines: list[str], exit_code: int = 0) -> str:
    """A stand-in for the zonelint binary that prints `lines` for any arguments."""
    script = directory / "fake-zonelint"
    body = "".join(f"printf '%s\\n' '{line}'\n" for line in lines)
    script.write_text(f"#!/bin/sh\n{body}exit {exit_code}\n")
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    return str(script)


class CompareFile(unittest.TestCase):
    def setUp(self):
        self.dir = Path(tempfile.mkdtemp())
        self.addCleanup(shutil.rmtree, self.dir)
        self.zone = self.dir / "tiny.zone"
        self.zone.write_text(TINY)

    def compare(self, zonelint):
        return differential.compare_file(self.zone, zonelint, "named-compilezone", 8)

    def test_the_references_agree_on_a_tiny_file(self):
        outcome = self.compare(None)
        self.assertEqual(outcome.problems, [])
        self.assertEqual(outcome.records, 4)

    def test_an_identical_zonelint_reading_passes(self):
        outcome = self.compare(fake_zonelint(self.dir, TINY_GENERIC))
        self.assertEqual(outcome.problems, [])

    def test_a_missing_record_is_reported_against_the_agreeing_references(self):
        outcome = self.compare(fake_zonelint(self.dir, TINY_GENERIC[:-1]))
        report = "\n".join(outcome.problems)
        self.assertIn("zonelint (3 records) vs dnspython = bind (4 records)", report)
        self.assertIn("only in dnspython = bind: 1 line(s)", report)
        self.assertIn("spf.tiny.example. 300 IN SPF \\# 12 0B763D73706631202D616C6C", report)

    def test_a_wrong_byte_is_reported_on_both_sides(self):
        wrong = TINY_GENERIC[:2] + ["ns1.tiny.example. 300 IN A \\# 4 C0000202"] + TINY_GENERIC[3:]
        report = "\n".join(self.compare(fake_zonelint(self.dir, wrong)).problems)
        self.assertIn("only in zonelint: 1 line(s)\n    ns1.tiny.example. 300 IN A \\# 4 C0000202", report)
        self.assertIn(
            "only in dnspython = bind: 1 line(s)\n    ns1.tiny.example. 300 IN A \\# 4 C0000201",
            report,
        )

    def test_a_stale_expected_file_is_reported(self):
        expected = self.dir / "tiny.generic"
        expected.write_text("x.tiny.example. 300 IN A \\# 4 C0000201\n")
        outcome = differential.compare_file(self.zone, None, "named-compilezone", 8, expected)
        report = "\n".join(outcome.problems)
        self.assertIn("dnspython = bind (4 records) vs expected (1 records):", report)
        self.assertIn("only in expected: 1 line(s)\n    x.tiny.example.", report)

    def test_write_expected_writes_the_agreed_reading(self):
        expected = self.dir / "sub" / "tiny.generic"
        outcome = differential.compare_file(
            self.zone, None, "named-compilezone", 8, expected, write_expected=True
        )
        self.assertEqual(outcome.problems, [])
        self.assertEqual(len(expected.read_text().splitlines()), 4)

    def test_a_bind_reference_header_leaves_dnspython_out(self):
        self.zone.write_text(TINY.replace("$TTL", "; reference: bind\n$TTL", 1))
        self.assertTrue(differential.bind_only(self.zone))
        outcome = self.compare(fake_zonelint(self.dir, TINY_GENERIC[:-1]))
        report = "\n".join(outcome.problems)
        self.assertIn("zonelint (3 records) vs bind (4 records)", report)
        self.assertNotIn("dnspython", report)

    def test_a_duplicate_record_counts(self):
        outcome = self.compare(fake_zonelint(self.dir, TINY_GENERIC + TINY_GENERIC[2:3]))
        self.assertIn("only in zonelint: 1 line(s)", "\n".join(outcome.problems))

    def test_a_failing_zonelint_is_reported(self):
        outcome = self.compare(fake_zonelint(self.dir, [], exit_code=2))
        self.assertIn("zonelint: zonelint dump exited 2", "\n".join(outcome.problems))

    def test_a_malformed_zonelint_line_is_reported(self):
        outcome = self.compare(fake_zonelint(self.dir, ["ns1.tiny.example. 300 IN A 192.0.2.1"]))
        self.assertIn("expected `OWNER TTL CLASS TYPE", "\n".join(outcome.problems))

    def test_a_file_bind_rejects_is_skipped(self):
        self.zone.write_text(TINY + "bad IN A 192.0.2.300\n")
        outcome = self.compare(None)
        self.assertIn("bad dotted quad", outcome.skipped or "")

    def test_main_exits_non_zero_on_a_difference(self):
        zonelint = fake_zonelint(self.dir, TINY_GENERIC[1:])
        with open(os.devnull, "w") as devnull:
            stdout, sys.stdout = sys.stdout, devnull
            try:
                failing = differential.main(["--zonelint", zonelint, str(self.zone)])
                passing = differential.main(["--no-zonelint", str(self.zone)])
            finally:
                sys.stdout = stdout
        self.assertEqual(failing, 1)
        self.assertEqual(passing, 0)


class Origins(unittest.TestCase):
    def setUp(self):
        self.dir = Path(tempfile.mkdtemp())
        self.addCleanup(shutil.rmtree, self.dir)

    def origin(self, name, first_line="; a zone\n", sidecar=None):
        path = self.dir / name
        path.write_text(first_line + "@ IN A 192.0.2.1\n")
        if sidecar is not None:
            (self.dir / (name + ".origin")).write_text(sidecar + "\n")
        return differential.origin_of(path)

    def test_the_file_name_gives_the_origin(self):
        self.assertEqual(self.origin("example.com.zone"), "example.com.")

    def test_a_first_line_comment_wins(self):
        self.assertEqual(self.origin("x.zone", "; origin: other.example.\n"), "other.example.")
        self.assertEqual(self.origin("y.zone", ";origin: relative\r\n"), "relative.")

    def test_a_sidecar_file_comes_before_the_file_name(self):
        self.assertEqual(self.origin("gen.zone", sidecar="example.net"), "example.net.")

    def test_root_zones(self):
        self.assertEqual(self.origin("root.zone"), ".")
        self.assertEqual(self.origin("root-2017082100.zone"), ".")


class GenericLines(unittest.TestCase):
    def test_normalises_case_mnemonics_and_hex(self):
        self.assertEqual(
            differential.normalise_generic_line("WWW.Example. 60 CLASS1 TYPE99 \\# 2 01 aB"),
            "www.example. 60 IN SPF \\# 2 01AB",
        )

    def test_normalises_owner_escapes(self):
        self.assertEqual(
            differential.normalise_generic_line("a\\065\\.b.example. 1 IN TXT \\# 1 00"),
            "aa\\.b.example. 1 IN TXT \\# 1 00",
        )

    def test_empty_rdata(self):
        self.assertEqual(
            differential.normalise_generic_line("x. 1 IN TYPE731 \\# 0"), "x. 1 IN TYPE731 \\# 0"
        )

    def test_rejects_a_length_that_does_not_match(self):
        with self.assertRaisesRegex(ValueError, "LEN is 3 but the hex holds 2 octets"):
            differential.normalise_generic_line("x. 1 IN A \\# 3 0102")

    def test_rejects_presentation_format(self):
        with self.assertRaises(ValueError):
            differential.normalise_generic_line("x. 1 IN A 192.0.2.1")


if __name__ == "__main__":
    unittest.main()
