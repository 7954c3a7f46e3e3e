"""Writes the differential-test corpus: generated numbers with the answers of PyPI `phonenumbers`
(the Python port of libphonenumber) at the same metadata version as data/PhoneNumberMetadata.xml.

Usage: python3 oracle.py OUT.tsv [COUNT]
Columns: input, default region ("" for none), valid (0/1), e164, region, type.

The inputs are made from the metadata's example numbers (so most are near valid numbers) with
digits replaced, cut or added, plus fully random national numbers, across every calling code;
half are international ("+CC NSN"), the rest national forms with a default region (with the
region's national prefix when it has one) or 00/011-prefixed.
"""
import random
import sys

import phonenumbers
from phonenumbers import PhoneNumberType as T
from phonenumbers.phonemetadata import PhoneMetadata

assert phonenumbers.__version__ == "9.0.35", phonenumbers.__version__

TYPE_NAMES = {
    T.FIXED_LINE: "FIXED_LINE", T.MOBILE: "MOBILE", T.FIXED_LINE_OR_MOBILE: "FIXED_LINE_OR_MOBILE",
    T.TOLL_FREE: "TOLL_FREE", T.PREMIUM_RATE: "PREMIUM_RATE", T.SHARED_COST: "SHARED_COST",
    T.VOIP: "VOIP", T.PERSONAL_NUMBER: "PERSONAL_NUMBER", T.PAGER: "PAGER", T.UAN: "UAN",
    T.VOICEMAIL: "VOICEMAIL",
}


def answer(inp, region):
    """Our documented policy on top of libphonenumber: without a default region, bare digits and
    00/011 carry the calling code; with one, a number not valid for it (and without "+") is read
    again as if no region were given."""
    def attempt(text, reg):
        try:
            n = phonenumbers.parse(text, reg)
        except phonenumbers.NumberParseException:
            return None
        if not phonenumbers.is_valid_number(n):
            return None
        return n

    digits = "".join(c for c in inp if c.isdigit())

    def without_region():
        if inp.lstrip().startswith("+"):
            return attempt(inp, None)
        if digits.startswith("00"):
            return attempt("+" + digits[2:], None)
        if digits.startswith("011"):
            return attempt("+" + digits[3:], None)
        return attempt("+" + digits, None)

    if region is None:
        n = without_region()
    else:
        n = attempt(inp, region)
        if n is None and "+" not in inp:
            n = without_region()
    if n is None:
        return ("0", "", "", "")
    e164 = phonenumbers.format_number(n, phonenumbers.PhoneNumberFormat.E164)
    reg = phonenumbers.region_code_for_number(n) or ""
    typ = TYPE_NAMES.get(phonenumbers.number_type(n), "")
    return ("1", e164, reg, typ)


def main():
    out_path = sys.argv[1]
    count = int(sys.argv[2]) if len(sys.argv) > 2 else 120000
    rng = random.Random(20250935)
    territories = []  # (region id or "001", cc, metadata)
    for r in sorted(phonenumbers.SUPPORTED_REGIONS):
        territories.append((r, PhoneMetadata.metadata_for_region(r)))
    for cc in sorted(phonenumbers.COUNTRY_CODES_FOR_NON_GEO_REGIONS):
        territories.append(("001", PhoneMetadata.metadata_for_nongeo_region(cc)))
    examples = []
    for rid, md in territories:
        descs = [md.fixed_line, md.mobile, md.toll_free, md.premium_rate, md.shared_cost,
                 md.personal_number, md.voip, md.pager, md.uan, md.voicemail, md.general_desc]
        ex = [d.example_number for d in descs if d is not None and d.example_number]
        examples.append((rid, md, ex or ["1234567"]))
    rows = []
    while len(rows) < count:
        rid, md, ex = examples[rng.randrange(len(examples))]
        nsn = list(rng.choice(ex))
        mode = rng.random()
        if mode < 0.55:  # replace the last 1..6 digits
            k = rng.randint(1, min(6, len(nsn)))
            for i in range(len(nsn) - k, len(nsn)):
                nsn[i] = str(rng.randrange(10))
        elif mode < 0.75:  # replace any digits
            for i in range(len(nsn)):
                if rng.random() < 0.3:
                    nsn[i] = str(rng.randrange(10))
        elif mode < 0.85:  # one digit more or less
            if rng.random() < 0.5 and len(nsn) > 2:
                del nsn[rng.randrange(len(nsn))]
            else:
                nsn.insert(rng.randrange(len(nsn) + 1), str(rng.randrange(10)))
        else:  # random national number
            nsn = [str(rng.randrange(10)) for _ in range(rng.randint(3, 13))]
        nsn = "".join(nsn)
        cc = str(md.country_code)
        form = rng.random()
        if form < 0.5 or rid == "001":
            inp, region = "+%s %s" % (cc, nsn), None
        elif form < 0.6:
            inp, region = "00%s%s" % (cc, nsn), None
        elif form < 0.65:
            inp, region = "%s%s" % (cc, nsn), None
        else:
            prefix = md.national_prefix or ""
            inp, region = "%s%s" % (prefix if rng.random() < 0.8 else "", nsn), rid
        rows.append((inp, region or "") + answer(inp, region))
    with open(out_path, "w") as f:
        for row in rows:
            f.write("\t".join(row) + "\n")


if __name__ == "__main__":
    main()
