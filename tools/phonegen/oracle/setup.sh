#!/usr/bin/env bash
# Builds the differential-test corpus for crates/phone (sendexa-phone): installs PyPI phonenumbers 9.0.35 (the
# Python port of libphonenumber, same metadata release as data/PhoneNumberMetadata.xml) into a
# virtualenv under target/, and writes target/phone-oracle.tsv. Skips what is already there.
set -euo pipefail
cd "$(dirname "$0")/../../.."
venv=target/phone-oracle-venv
out=target/phone-oracle.tsv
if [ ! -x "$venv/bin/python" ] || ! "$venv/bin/python" -c 'import phonenumbers, sys; sys.exit(phonenumbers.__version__ != "9.0.35")' 2>/dev/null; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check phonenumbers==9.0.35
fi
script=tools/phonegen/oracle/oracle.py
if [ ! -s "$out" ] || [ "$script" -nt "$out" ]; then
  "$venv/bin/python" "$script" "$out.tmp" "${PHONE_ORACLE_COUNT:-120000}"
  mv "$out.tmp" "$out"
fi
echo "phone oracle corpus: $out ($(wc -l < "$out") numbers)"
