#!/usr/bin/env python3
"""many-zones.py - write a directory of small zones with ../shared/bench/genzone.py.

  scripts/many-zones.py DIR ZONES RECORDS

Writes ZONES zone files of RECORDS records each into DIR, zone i (from 1) with origin
zI.example. and seed I, as `genzone.py --records RECORDS --seed I --origin zI.example.`
would: the shape of a hosting provider's directory of customer zones. genzone.py is run
in this process, once per zone (a new interpreter per zone takes minutes for thousands);
it is found in $ZONELINT_SHARED/bench, else in the shared folder beside the repository.
"""
import contextlib
import importlib.util
import io
import os
import sys


def main():
    if len(sys.argv) != 4:
        sys.exit(__doc__.strip())
    directory, zones, records = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    here = os.path.dirname(os.path.abspath(__file__))
    shared = os.environ.get('ZONELINT_SHARED') or os.path.join(
        os.path.dirname(os.path.dirname(here)), 'shared')
    path = os.path.join(shared, 'bench', 'genzone.py')
    spec = importlib.util.spec_from_file_location('genzone', path)
    genzone = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(genzone)
    os.makedirs(directory, exist_ok=True)
    for i in range(1, zones + 1):
        out = os.path.join(directory, 'z%d.example.zone' % i)
        sys.argv = ['genzone.py', '--records', str(records), '--seed', str(i),
                    '--origin', 'z%d.example.' % i, '-o', out]
        # genzone.py reports each file on stderr: thousands of lines.
        with contextlib.redirect_stderr(io.StringIO()):
            genzone.main()


if __name__ == '__main__':
    main()
