//! `phonegen`: compiles libphonenumber's `PhoneNumberMetadata.xml` into `metadata.bin`, the tables
//! that `sendexa-phone` (`crates/phone`, `sendexa_whatsapp::engine::phone`) reads at run time.
//!
//! ```text
//! cargo run -p phonegen --release            # rewrite crates/phone/src/metadata.bin
//! cargo run -p phonegen --release -- --check # exit 1 when the committed file is stale
//! ```
//!
//! The validation patterns of a territory (the general description, each number type and the
//! `leadingDigits` used to pick a region for shared calling codes) are compiled with
//! `regex-automata` into three multi-pattern DFAs (the types, the general description, the leading
//! digits: see [`GROUPS`]), walked over the digits `0`–`9` only, each multiplied by the number's
//! length (so the `possibleLengths` checks come for free); then the automata of all territories
//! are minimised together, so equal tails (`\d{6}` then accept) are stored once. At run time a
//! number is checked by a few table walks: no regex engine ships in the wasm.
//!
//! The file is laid out for gzip, which is how the .wasm travels: columns rather than records,
//! each kind of data (labels, row symbols, back references) in a stream of its own. A state's row
//! is one byte per live run of digits (the dead gap before it, its length and how its target is
//! named: the next state not reached yet, numbered implicitly breadth-first; one of the states
//! referenced most recently; or a number), so most transitions cost no number at all, and the
//! most referenced states are numbered first so that their numbers take one byte (see
//! [`encode_rows`]).
//!
//! The parse-time patterns (`internationalPrefix`, `nationalPrefixForParsing`) need Java's
//! leftmost-first `lookingAt` with capture groups, so they are compiled into a tiny backtracking
//! program (split/jump/class/save) instead; they run once per parse on at most 17 digits.
//!
//! The format of `metadata.bin` is documented in `crates/phone/src/tables.rs`, its only reader.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use regex_automata::dfa::{dense, Automaton};
use regex_automata::util::start;
use regex_automata::{Anchored, MatchKind};
use regex_syntax::hir::{Class, Hir, HirKind, Look};

/// Bits of a DFA state's label: which descriptions accept the digits read so far.
/// Bit 0: general description (pattern and possible lengths); 1..=10: the number types below, in
/// the order libphonenumber's `getNumberType` tries them (so the lowest bit set wins); 11:
/// `leadingDigits` matches a prefix; 12: the general pattern alone, ignoring lengths
/// (libphonenumber's `matchNationalNumber`, used for national prefixes).
const TYPES: [&str; 10] = [
    "premiumRate",
    "tollFree",
    "sharedCost",
    "voip",
    "personalNumber",
    "pager",
    "uan",
    "voicemail",
    "fixedLine",
    "mobile",
];
const BIT_LEADING: u16 = 11;
const BIT_GENERAL_PATTERN: u16 = 12;
/// libphonenumber never keeps a national number longer than this.
const MAX_NSN: usize = 17;

const MAGIC: &[u8; 4] = b"PNM8";

/// The territory columns and the state labels are stored complemented (`^ 0xff`): zeros dominate
/// them, and wasm-opt cuts every run of zero bytes out of the .wasm's data segment, splitting it,
/// at the cost of a segment header (offset and length, which gzip codes poorly) each. For the
/// same reason string lengths are stored plus one and no start is coded as 0.
const COMPLEMENT: u8 = 0xff;
/// A start: the next root (a state no earlier row reaches).
const START_ROOT: u8 = 1;
/// A start: the dead state (the territory has no such patterns). n ≥ 3 is state n - 3.
const START_DEAD: u8 = 2;
/// Rows per segment, as a power of two: the reader decodes the rows a segment at a time, on first
/// use (see [`encode_rows`]).
const SEGMENT_SHIFT: u8 = 7;

struct Desc {
    pattern: String,
    lengths: u32,
    local: u32,
}

struct Territory {
    id: String,
    cc: u16,
    main: bool,
    leading: Option<String>,
    intl_prefix: Option<String>,
    national_prefix_for_parsing: Option<String>,
    transform: Option<String>,
    general: Option<Desc>,
    types: Vec<Option<Desc>>,
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let check = args.iter().any(|a| a == "--check");
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..");
    let xml_path = root.join("data/PhoneNumberMetadata.xml");
    let out_path = root.join("crates/phone/src/metadata.bin");
    let xml = std::fs::read_to_string(&xml_path)
        .unwrap_or_else(|e| fail(&format!("reading {}: {e}", xml_path.display())));
    let mut territories = read_territories(&xml);
    // By calling code, the main country of a shared code first, the others in XML order (as
    // libphonenumber lists them): the reader finds a code's territories as one range.
    territories.sort_by_key(|t| (t.cc, !t.main));
    let blob = build(&territories);
    if check {
        let committed = std::fs::read(&out_path).unwrap_or_default();
        if committed != blob {
            fail(&format!(
                "{} is stale: run `cargo run -p phonegen --release` and commit the result",
                rel(&out_path)
            ));
        }
        println!("{} is up to date ({} bytes)", rel(&out_path), blob.len());
    } else {
        std::fs::write(&out_path, &blob)
            .unwrap_or_else(|e| fail(&format!("writing {}: {e}", out_path.display())));
        println!("wrote {} ({} bytes)", rel(&out_path), blob.len());
    }
}

fn rel(p: &Path) -> String {
    p.display().to_string().replace("/tools/phonegen/../..", "")
}

fn fail(msg: &str) -> ! {
    eprintln!("phonegen: {msg}");
    std::process::exit(1)
}

fn strip_ws(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

/// `"[4-6],9"` → bits 4, 5, 6 and 9.
fn length_mask(spec: &str) -> u32 {
    let mut mask = 0u32;
    for part in spec.split(',') {
        let part = part.trim();
        if part == "-1" || part.is_empty() {
            continue;
        }
        let (lo, hi) = if let Some(range) = part.strip_prefix('[').and_then(|p| p.strip_suffix(']'))
        {
            let (a, b) = range
                .split_once('-')
                .unwrap_or_else(|| fail(&format!("bad range {part}")));
            (a.parse().unwrap_or(0), b.parse().unwrap_or(0))
        } else {
            let n: u32 = part
                .parse()
                .unwrap_or_else(|_| fail(&format!("bad length {part}")));
            (n, n)
        };
        for n in lo..=hi {
            if n as usize > MAX_NSN {
                fail(&format!("length {n} over {MAX_NSN}"));
            }
            mask |= 1 << n;
        }
    }
    mask
}

fn read_desc(node: roxmltree::Node) -> Desc {
    let pattern = node
        .children()
        .find(|c| c.has_tag_name("nationalNumberPattern"))
        .and_then(|c| c.text())
        .map(strip_ws)
        .unwrap_or_default();
    let (mut lengths, mut local) = (0, 0);
    if let Some(pl) = node.children().find(|c| c.has_tag_name("possibleLengths")) {
        lengths = pl.attribute("national").map(length_mask).unwrap_or(0);
        local = pl.attribute("localOnly").map(length_mask).unwrap_or(0);
    }
    Desc {
        pattern,
        lengths,
        local,
    }
}

fn read_territories(xml: &str) -> Vec<Territory> {
    let opts = roxmltree::ParsingOptions {
        allow_dtd: true,
        ..Default::default()
    };
    let doc = roxmltree::Document::parse_with_options(xml, opts)
        .unwrap_or_else(|e| fail(&format!("XML: {e}")));
    let mut out = Vec::new();
    for t in doc.descendants().filter(|n| n.has_tag_name("territory")) {
        let attr = |k: &str| t.attribute(k).map(strip_ws).filter(|s| !s.is_empty());
        let id = attr("id").unwrap_or_else(|| fail("territory without id"));
        let cc: u16 = attr("countryCode")
            .and_then(|c| c.parse().ok())
            .unwrap_or_else(|| fail(&format!("{id}: bad countryCode")));
        let child = |name: &str| t.children().find(|c| c.has_tag_name(name));
        let types: Vec<Option<Desc>> = TYPES
            .iter()
            .map(|name| child(name).map(read_desc))
            .collect();
        let mut general = child("generalDesc").map(read_desc);
        if let Some(g) = general.as_mut() {
            // As libphonenumber's BuildMetadataFromXml: the general lengths are the union of the
            // types' lengths (noInternationalDialling excluded), local-only minus national.
            g.lengths = types.iter().flatten().fold(0, |m, d| m | d.lengths);
            g.local = types.iter().flatten().fold(0, |m, d| m | d.local) & !g.lengths;
        }
        let national_prefix = attr("nationalPrefix");
        out.push(Territory {
            main: attr("mainCountryForCode").as_deref() == Some("true"),
            leading: attr("leadingDigits"),
            intl_prefix: attr("internationalPrefix"),
            national_prefix_for_parsing: attr("nationalPrefixForParsing").or(national_prefix),
            transform: attr("nationalPrefixTransformRule"),
            general,
            types,
            id,
            cc,
        });
    }
    out
}

// ---------------------------------------------------------------------------------------------
// Validation DFA

/// A DFA over the digits: `next[s][d]`, state 0 is the dead state, `label[s]` the accept bits.
#[derive(Default)]
struct DigitDfa {
    next: Vec<[u32; 10]>,
    label: Vec<u16>,
}

fn syntax_config() -> regex_automata::util::syntax::Config {
    regex_automata::util::syntax::Config::new()
        .unicode(false)
        .utf8(false)
}

/// The label bits of each of a territory's DFAs. Each territory gets three automata, walked one
/// after the other at run time, rather than one product of all its patterns: the number types
/// (whose patterns are disjoint, so their product is cheap), the general description (its pattern
/// with and without the possible lengths) and the leading digits. A single product would track
/// positions in the general pattern and in the types' patterns at once, and that costs ~4 KB gzip.
const GROUPS: [u16; 3] = [
    0b0_0111_1111_1110,
    1 | 1 << BIT_GENERAL_PATTERN,
    1 << BIT_LEADING,
];

/// Adds territory `t`'s product DFA (pattern DFA × length) for the label bits in `group` to `out`;
/// returns its start state (the dead state 0 when the territory has no such pattern).
fn add_territory_dfa(t: &Territory, group: u16, out: &mut DigitDfa) -> u32 {
    // (pattern, bit, length mask the bit also requires)
    let mut pats: Vec<(String, u16, u32)> = Vec::new();
    if let Some(g) = &t.general {
        if !g.pattern.is_empty() {
            pats.push((g.pattern.clone(), 0, g.lengths));
            pats.push((g.pattern.clone(), BIT_GENERAL_PATTERN, u32::MAX));
        }
    }
    for (i, d) in t.types.iter().enumerate() {
        if let Some(d) = d {
            if !d.pattern.is_empty() {
                let lengths = if d.lengths == 0 {
                    t.general.as_ref().map_or(0, |g| g.lengths)
                } else {
                    d.lengths
                };
                pats.push((d.pattern.clone(), i as u16 + 1, lengths));
            }
        }
    }
    if let Some(ld) = &t.leading {
        pats.push((format!("(?:{ld})[0-9]*"), BIT_LEADING, u32::MAX));
    }
    pats.retain(|p| group & (1 << p.1) != 0);
    if pats.is_empty() {
        return 0;
    }
    let sources: Vec<&str> = pats.iter().map(|p| p.0.as_str()).collect();
    let dfa = dense::Builder::new()
        .configure(
            dense::Config::new()
                .match_kind(MatchKind::All)
                .start_kind(regex_automata::dfa::StartKind::Anchored),
        )
        .syntax(syntax_config())
        .build_many(&sources)
        .unwrap_or_else(|e| fail(&format!("{}: {e}", t.id)));
    let start = dfa
        .start_state(&start::Config::new().anchored(Anchored::Yes))
        .unwrap_or_else(|e| fail(&format!("{}: {e}", t.id)));

    // Breadth-first over (DFA state, length), mapping each product state to a new state index.
    let mut index: HashMap<(regex_automata::util::primitives::StateID, usize), u32> =
        HashMap::new();
    let mut queue = vec![(start, 0usize)];
    let base = out.next.len() as u32;
    index.insert((start, 0), base);
    out.next.push([0; 10]);
    out.label.push(0);
    let mut qi = 0;
    while qi < queue.len() {
        let (s, len) = queue[qi];
        let me = base + qi as u32;
        qi += 1;
        let eoi = dfa.next_eoi_state(s);
        let mut label = 0u16;
        if dfa.is_match_state(eoi) {
            for m in 0..dfa.match_len(eoi) {
                let (_, bit, lengths) = pats[dfa.match_pattern(eoi, m).as_usize()];
                if lengths & (1 << len) != 0 {
                    label |= 1 << bit;
                }
            }
        }
        out.label[me as usize] = label;
        if len == MAX_NSN {
            continue;
        }
        for d in 0..10u8 {
            let ns = dfa.next_state(s, b'0' + d);
            if dfa.is_dead_state(ns) {
                continue;
            }
            let key = (ns, len + 1);
            let target = *index.entry(key).or_insert_with(|| {
                queue.push(key);
                out.next.push([0; 10]);
                out.label.push(0);
                out.next.len() as u32 - 1
            });
            out.next[me as usize][d as usize] = target;
        }
    }
    base
}

/// Moore's partition refinement over the whole table; returns the new index of every old state.
fn minimise(dfa: &DigitDfa) -> (DigitDfa, Vec<u32>) {
    let n = dfa.next.len();
    let mut class: Vec<u32> = {
        let mut ids: HashMap<u16, u32> = HashMap::new();
        // The dead state 0 keeps class 0.
        ids.insert(dfa.label[0], 0);
        dfa.label
            .iter()
            .enumerate()
            .map(|(i, l)| {
                if i == 0 {
                    return 0;
                }
                let k = ids.len() as u32;
                *ids.entry(*l).or_insert(k)
            })
            .collect()
    };
    let mut count = class.iter().max().map_or(0, |m| m + 1);
    loop {
        let mut ids: HashMap<(u32, [u32; 10]), u32> = HashMap::new();
        let mut next_class = vec![0u32; n];
        for s in 0..n {
            let mut sig = [0u32; 10];
            for d in 0..10 {
                sig[d] = class[dfa.next[s][d] as usize];
            }
            let k = ids.len() as u32;
            next_class[s] = *ids.entry((class[s], sig)).or_insert(k);
        }
        let new_count = ids.len() as u32;
        class = next_class;
        if new_count == count {
            break;
        }
        count = new_count;
    }
    // Renumber breadth-first from the dead state, then the starts in order, so the file is stable.
    let dead_class = class[0];
    let mut order: Vec<u32> = vec![u32::MAX; count as usize];
    let mut reps: Vec<usize> = vec![usize::MAX; count as usize];
    for (s, c) in class.iter().enumerate() {
        if reps[*c as usize] == usize::MAX {
            reps[*c as usize] = s;
        }
    }
    let mut queue: Vec<u32> = vec![dead_class];
    order[dead_class as usize] = 0;
    let mut qi = 0;
    let push = |c: u32, queue: &mut Vec<u32>, order: &mut Vec<u32>| {
        if order[c as usize] == u32::MAX {
            order[c as usize] = queue.len() as u32;
            queue.push(c);
        }
    };
    // Seed with every class in original-state order, visiting breadth-first from each.
    for s in 0..n {
        push(class[s], &mut queue, &mut order);
        while qi < queue.len() {
            let c = queue[qi];
            qi += 1;
            let rep = reps[c as usize];
            for d in 0..10 {
                push(class[dfa.next[rep][d] as usize], &mut queue, &mut order);
            }
        }
    }
    let mut out = DigitDfa::default();
    for c in &queue {
        let rep = reps[*c as usize];
        let mut next = [0u32; 10];
        for d in 0..10 {
            next[d] = order[class[dfa.next[rep][d] as usize] as usize];
        }
        out.next.push(next);
        out.label.push(dfa.label[rep]);
    }
    let map = class.iter().map(|c| order[*c as usize]).collect();
    (out, map)
}

// ---------------------------------------------------------------------------------------------
// Parse-time patterns: a backtracking program

// One byte an instruction, plus operands; a program matches when it runs off its end.
const OP_DIGIT0: u8 = b'0'; // ..= b'9': consume that digit
const OP_CLASS: u8 = b'['; // u16 digit mask: consume one digit in the mask
const OP_SPLIT: u8 = b'|'; // LEB128 n: try the next instruction, then the one n bytes after this
const OP_JUMP: u8 = b'>'; // LEB128 n: go n bytes past the end of this instruction
const OP_SAVE0: u8 = b'a'; // ..= b'j': save the position in capture slot 0..=9
const OP_END: u8 = b'$'; // assert the end of the input

enum Inst {
    Class(u16),
    Split(usize, usize),
    Jump(usize),
    Save(u8),
    End,
}

/// A parse-time pattern (bytes, no Unicode: the input is digits), or a loud failure naming `ctx`.
fn parse_pattern(pattern: &str, ctx: &str) -> Hir {
    regex_syntax::ParserBuilder::new()
        .unicode(false)
        .utf8(false)
        .build()
        .parse(pattern)
        .unwrap_or_else(|e| fail(&format!("{ctx}: {e}")))
}

fn compile_program(pattern: &str, ctx: &str) -> Vec<u8> {
    let hir = parse_pattern(pattern, ctx);
    let mut prog = Vec::new();
    emit(&hir, &mut prog, ctx);
    // Offsets are forward and relative (Java's leftmost-first alternation and greedy optional
    // parts need no other); LEB128, so a program's layout is found by growing the offsets that
    // do not fit one byte until none changes.
    let leb_len = |n: usize| {
        if n < 0x80 {
            1
        } else if n < 0x4000 {
            2
        } else {
            3
        }
    };
    let mut operand = vec![1usize; prog.len()];
    let offsets = loop {
        let mut offsets = Vec::with_capacity(prog.len() + 1);
        let mut at = 0usize;
        for (i, inst) in prog.iter().enumerate() {
            offsets.push(at);
            at += match inst {
                Inst::Class(m) if m.count_ones() == 1 => 1,
                Inst::Class(_) => 3,
                Inst::Split(..) | Inst::Jump(_) => 1 + operand[i],
                Inst::Save(_) | Inst::End => 1,
            };
        }
        offsets.push(at);
        let mut changed = false;
        for (i, inst) in prog.iter().enumerate() {
            if let Some(n) = relative(inst, i, &offsets, ctx) {
                if leb_len(n) != operand[i] {
                    operand[i] = leb_len(n);
                    changed = true;
                }
            }
        }
        if !changed {
            break offsets;
        }
    };
    let mut out = Vec::with_capacity(offsets[prog.len()]);
    for (i, inst) in prog.iter().enumerate() {
        match inst {
            Inst::Class(m) if m.count_ones() == 1 => out.push(OP_DIGIT0 + m.trailing_zeros() as u8),
            Inst::Class(m) => {
                out.push(OP_CLASS);
                out.extend_from_slice(&m.to_le_bytes());
            }
            Inst::Split(..) | Inst::Jump(_) => {
                out.push(if matches!(inst, Inst::Jump(_)) {
                    OP_JUMP
                } else {
                    OP_SPLIT
                });
                let n = relative(inst, i, &offsets, ctx).unwrap_or_default();
                leb128(n as u32, &mut out);
            }
            Inst::Save(s) => out.push(OP_SAVE0 + s),
            Inst::End => out.push(OP_END),
        }
    }
    out
}

/// The forward distance a split or jump at instruction `i` names, from the end of the instruction.
fn relative(inst: &Inst, i: usize, offsets: &[usize], ctx: &str) -> Option<usize> {
    let target = match inst {
        Inst::Split(first, then) if *first == i + 1 => *then,
        Inst::Split(..) => fail(&format!("{ctx}: lazy repetition is not supported")),
        Inst::Jump(to) => *to,
        _ => return None,
    };
    offsets[target].checked_sub(offsets[i + 1]).or_else(|| {
        fail(&format!(
            "{ctx}: a backward jump (unbounded repetition) is not supported"
        ))
    })
}

fn class_mask(bytes: impl Iterator<Item = (u8, u8)>) -> u16 {
    let mut m = 0u16;
    for (lo, hi) in bytes {
        for b in lo..=hi {
            if b.is_ascii_digit() {
                m |= 1 << (b - b'0');
            }
        }
    }
    m
}

fn emit(hir: &Hir, prog: &mut Vec<Inst>, ctx: &str) {
    match hir.kind() {
        HirKind::Empty => {}
        HirKind::Literal(lit) => {
            for b in lit.0.iter() {
                prog.push(Inst::Class(class_mask(std::iter::once((*b, *b)))));
            }
        }
        HirKind::Class(Class::Bytes(c)) => prog.push(Inst::Class(class_mask(
            c.ranges().iter().map(|r| (r.start(), r.end())),
        ))),
        HirKind::Class(Class::Unicode(c)) => {
            prog.push(Inst::Class(class_mask(c.ranges().iter().map(|r| {
                (r.start().min('\u{ff}') as u8, r.end().min('\u{ff}') as u8)
            }))))
        }
        HirKind::Look(Look::End) | HirKind::Look(Look::EndLF) => prog.push(Inst::End),
        HirKind::Look(l) => fail(&format!("{ctx}: unsupported assertion {l:?}")),
        HirKind::Capture(cap) => {
            if cap.index > 4 {
                fail(&format!("{ctx}: too many groups"));
            }
            prog.push(Inst::Save(cap.index as u8 * 2));
            emit(&cap.sub, prog, ctx);
            prog.push(Inst::Save(cap.index as u8 * 2 + 1));
        }
        HirKind::Concat(parts) => parts.iter().for_each(|p| emit(p, prog, ctx)),
        HirKind::Alternation(alts) => {
            let mut jumps = Vec::new();
            for (i, alt) in alts.iter().enumerate() {
                if i + 1 < alts.len() {
                    let split = prog.len();
                    prog.push(Inst::Split(split + 1, 0));
                    emit(alt, prog, ctx);
                    jumps.push(prog.len());
                    prog.push(Inst::Jump(0));
                    let next = prog.len();
                    prog[split] = Inst::Split(split + 1, next);
                } else {
                    emit(alt, prog, ctx);
                }
            }
            let end = prog.len();
            for j in jumps {
                prog[j] = Inst::Jump(end);
            }
        }
        HirKind::Repetition(rep) => {
            let optional = |prog: &mut Vec<Inst>| {
                let split = prog.len();
                prog.push(Inst::Split(0, 0));
                emit(&rep.sub, prog, ctx);
                let end = prog.len();
                prog[split] = if rep.greedy {
                    Inst::Split(split + 1, end)
                } else {
                    Inst::Split(end, split + 1)
                };
            };
            for _ in 0..rep.min {
                emit(&rep.sub, prog, ctx);
            }
            match rep.max {
                Some(max) => (rep.min..max).for_each(|_| optional(prog)),
                None => {
                    let split = prog.len();
                    prog.push(Inst::Split(0, 0));
                    emit(&rep.sub, prog, ctx);
                    prog.push(Inst::Jump(split));
                    let end = prog.len();
                    prog[split] = if rep.greedy {
                        Inst::Split(split + 1, end)
                    } else {
                        Inst::Split(end, split + 1)
                    };
                }
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Output

fn build(territories: &[Territory]) -> Vec<u8> {
    let mut raw = DigitDfa::default();
    raw.next.push([0; 10]);
    raw.label.push(0);
    // Group-major (all the types' starts, then the general ones, then the leading digits'), as
    // the file stores them.
    let starts: Vec<u32> = GROUPS
        .iter()
        .flat_map(|g| territories.iter().map(|t| (t, *g)))
        .map(|(t, g)| add_territory_dfa(t, g, &mut raw))
        .collect();
    let (dfa, map) = minimise(&raw);
    let starts: Vec<u32> = starts.iter().map(|s| map[*s as usize]).collect();
    eprintln!(
        "phonegen: {} product states, {} after minimising",
        raw.next.len(),
        dfa.next.len()
    );

    // The territories: 8 byte columns (the calling code less the previous territory's, the capture
    // groups of the national-prefix pattern, the three bytes of the possible lengths, the three of
    // the local-only lengths), four strings each (id, IDD program, national-prefix program,
    // transform rule).
    let mut columns = vec![Vec::new(); 8];
    let mut fields: [Vec<Vec<u8>>; 4] = Default::default();
    let mut previous_cc = 0;
    for t in territories {
        let (g_len, g_local) = t.general.as_ref().map_or((0, 0), |g| (g.lengths, g.local));
        // Java's `Matcher.groupCount()`, which the transform rule needs.
        let groups = t.national_prefix_for_parsing.as_deref().map_or(0, |p| {
            let ctx = format!("{} nationalPrefixForParsing", t.id);
            parse_pattern(p, &ctx).properties().explicit_captures_len() as u8
        });
        let cc_step = u8::try_from(t.cc - previous_cc)
            .unwrap_or_else(|_| fail("calling codes more than 255 apart"));
        previous_cc = t.cc;
        let [l0, l1, l2, _] = g_len.to_le_bytes();
        let [o0, o1, o2, _] = g_local.to_le_bytes();
        for (column, byte) in columns
            .iter_mut()
            .zip([cc_step, groups, l0, l1, l2, o0, o1, o2])
        {
            column.push(byte);
        }
        let program = |p: &Option<String>, what: &str| {
            p.as_ref()
                .map(|p| compile_program(p, &format!("{} {what}", t.id)))
                .unwrap_or_default()
        };
        fields[0].push(t.id.as_bytes().to_vec());
        fields[1].push(program(&t.intl_prefix, "internationalPrefix"));
        fields[2].push(program(
            &t.national_prefix_for_parsing,
            "nationalPrefixForParsing",
        ));
        fields[3].push(transform_rule(t.transform.as_deref().unwrap_or(""), &t.id));
    }
    let strings: Vec<u8> = fields.iter().flatten().flatten().copied().collect();

    // Labels: distinct label values in a palette, each state's label as a palette index.
    let mut palette: Vec<u16> = Vec::new();
    let mut pal_index: HashMap<u16, u8> = HashMap::new();
    let state_labels: Vec<u8> = dfa
        .label
        .iter()
        .map(|l| {
            *pal_index.entry(*l).or_insert_with(|| {
                palette.push(*l);
                (palette.len() - 1) as u8
            })
        })
        .collect();
    if palette.len() > 255 {
        fail("more than 255 distinct labels");
    }

    // Transitions. The most referenced states come first (see `SEEDS`); a first pass over the
    // plain numbering finds them.
    let (_, plain) = implicit_order(&dfa, &[], &starts);
    let seeds = popular_targets(&dfa, &plain, SEEDS);
    let (order, states) = implicit_order(&dfa, &seeds, &starts);
    // The reader keeps at most 64 segments (`MAX_SEGMENTS` in crates/phone/src/tables.rs).
    if states.len() > 64 << SEGMENT_SHIFT {
        fail("more than 8192 DFA states: raise MAX_SEGMENTS in crates/phone/src/tables.rs");
    }
    let rows = encode_rows(&dfa, &order, &states, seeds.len() as u32);

    // Each kind of data in a stream of its own: each compresses better alone.
    let mut out = Vec::new();
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&(territories.len() as u16).to_le_bytes());
    columns
        .iter()
        .for_each(|c| out.extend(c.iter().map(|b| b ^ COMPLEMENT)));
    let mut lens = Vec::new();
    for s in fields.iter().flatten() {
        leb128(s.len() as u32 + 1, &mut lens);
    }
    out.extend_from_slice(
        &u16::try_from(lens.len())
            .unwrap_or_else(|_| fail("string lengths over 64 KiB"))
            .to_le_bytes(),
    );
    out.extend_from_slice(&lens);
    out.extend_from_slice(&strings);
    out.push(palette.len() as u8);
    for l in &palette {
        out.extend_from_slice(&l.to_le_bytes());
    }
    out.extend_from_slice(&(states.len() as u16).to_le_bytes());
    out.push(seeds.len() as u8);
    out.extend(
        states
            .iter()
            .map(|old| state_labels[*old as usize] ^ COMPLEMENT),
    );
    out.extend_from_slice(&(rows.symbols.len() as u32).to_le_bytes());
    out.extend_from_slice(&rows.symbols);
    out.extend_from_slice(&(rows.backs.len() as u32).to_le_bytes());
    out.extend_from_slice(&rows.backs);
    out.push(SEGMENT_SHIFT);
    // Territory start states, renumbered: the types', then the general description's, then the
    // leading digits', each in territory order.
    let mut roots = rows.roots.iter().peekable();
    for s in &starts {
        let s = order[*s as usize];
        if roots.peek() == Some(&&s) {
            roots.next();
            out.push(START_ROOT);
        } else if s == 0 {
            out.push(START_DEAD);
        } else {
            leb128(s + 3, &mut out);
        }
    }
    if roots.next().is_some() {
        fail("a root that is no start");
    }
    eprintln!(
        "phonegen: {} states; strings {} B, row symbols {} B, back references {} B",
        states.len(),
        strings.len(),
        rows.symbols.len(),
        rows.backs.len()
    );
    out
}

/// How many of the most referenced states are numbered first, before the breadth-first walk:
/// references to them are then one LEB128 byte, which gzip codes more tightly than two.
const SEEDS: usize = 64;

/// The row symbols of a live run (a maximal run of digits with the same live target): 1 + 4 ×
/// the index of (dead digits before it, its length) in [`gap_len_pairs`] + the target's kind.
/// The kinds name the target by how it was reached before: the next state no row reached yet
/// (numbered implicitly), or the states most recently referenced by the other kinds (across
/// rows: the same few suffixes, `\d{6}` then accept, are referenced over and over in a row of
/// siblings), or else by number.
const KIND_FRESH: u8 = 0;
/// The target follows in the back references, LEB128: n < [`RECENT_IN_BACKS`] is entry 2 + n of
/// the recently referenced states, else state n - [`RECENT_IN_BACKS`].
const KIND_BACK: u8 = 1;
/// The target is the most recently referenced state (entry 0).
const KIND_RECENT0: u8 = 2;
/// The target is the state referenced before that (entry 1).
const KIND_RECENT1: u8 = 3;
/// Symbol 0: the rest of the row is dead.
const SYMBOL_END: u8 = 0;
/// How many recently referenced states the back references can name (after the two kinds name).
const RECENT_IN_BACKS: u32 = 6;
/// The recently referenced states kept: those of the two kinds and those of the back references.
const RECENT: usize = 2 + RECENT_IN_BACKS as usize;

/// Every (dead gap, live run length) a row can hold, in the order the reader's table lists them:
/// by length, then by gap.
fn gap_len_pairs() -> Vec<(usize, usize)> {
    (1..=10)
        .flat_map(|len| (0..=10 - len).map(move |gap| (gap, len)))
        .collect()
}

struct Rows {
    symbols: Vec<u8>,
    backs: Vec<u8>,
    /// The states no earlier row reaches, in order (the starts not reached from earlier starts).
    roots: Vec<u32>,
    /// The states the back references give by number, in order.
    by_number: Vec<u32>,
}

/// Encodes the rows of `states` (new → old) as the reader rebuilds them: each row is a sequence
/// of live runs, each a symbol, then [`SYMBOL_END`] unless the last run ends at digit 9. The
/// targets of `KIND_FRESH` runs are numbered implicitly: the next state not yet reached.
///
/// The rows are cut into segments of `1 << SEGMENT_SHIFT` that the reader decodes one at a time,
/// when a walk first reaches one: the recently referenced states start empty in each, so a
/// segment's rows depend only on where they start in the two streams and on the next fresh state,
/// which a quick scan of the symbols finds. A number's walk reaches a few segments (the seeds' and
/// its territory's), so the first check in a process decodes a few hundred rows, not all.
fn encode_rows(dfa: &DigitDfa, order: &[u32], states: &[u32], seeds: u32) -> Rows {
    let pairs = gap_len_pairs();
    let mut out = Rows {
        symbols: Vec::new(),
        backs: Vec::new(),
        roots: Vec::new(),
        by_number: Vec::new(),
    };
    let mut fresh = seeds + 1;
    // The states most recently referenced other than as fresh, the last first.
    let mut recent: Vec<u32> = Vec::with_capacity(RECENT + 1);
    for (i, old) in states.iter().enumerate() {
        let i = i as u32;
        if i.is_multiple_of(1 << SEGMENT_SHIFT) {
            recent.clear();
        }
        if i > 0 && fresh <= i {
            out.roots.push(i);
            fresh = i + 1;
        }
        let next = &dfa.next[*old as usize];
        let mut d = 0;
        while d < 10 {
            let start = d;
            while d < 10 && next[d] == 0 {
                d += 1;
            }
            if d == 10 {
                out.symbols.push(SYMBOL_END);
                break;
            }
            let target = next[d];
            let first = d;
            while d < 10 && next[d] == target {
                d += 1;
            }
            let t = order[target as usize];
            let kind = match recent.iter().position(|r| *r == t) {
                Some(0) => KIND_RECENT0,
                Some(1) => KIND_RECENT1,
                _ if t == fresh => {
                    fresh += 1;
                    KIND_FRESH
                }
                Some(n) => {
                    leb128(n as u32 - 2, &mut out.backs);
                    KIND_BACK
                }
                None => {
                    leb128(t + RECENT_IN_BACKS, &mut out.backs);
                    out.by_number.push(t);
                    KIND_BACK
                }
            };
            if kind != KIND_FRESH {
                recent.retain(|r| *r != t);
                recent.insert(0, t);
                recent.truncate(RECENT);
            }
            let pair = pairs
                .iter()
                .position(|p| *p == (first - start, d - first))
                .unwrap_or_else(|| fail("a run outside the row"));
            out.symbols.push(1 + 4 * pair as u8 + kind);
        }
    }
    out
}

/// The `count` states most often referenced by number when numbered as `states` (new → old),
/// the most referenced first (ties: lower old number first).
fn popular_targets(dfa: &DigitDfa, states: &[u32], count: usize) -> Vec<u32> {
    let mut order = vec![0u32; dfa.next.len()];
    for (new, old) in states.iter().enumerate() {
        order[*old as usize] = new as u32;
    }
    let mut uses: HashMap<u32, usize> = HashMap::new();
    for t in encode_rows(dfa, &order, states, 0).by_number {
        *uses.entry(states[t as usize]).or_default() += 1;
    }
    let mut by_use: Vec<(usize, u32)> = uses.into_iter().map(|(s, n)| (n, s)).collect();
    by_use.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    by_use.iter().take(count).map(|(_, s)| *s).collect()
}

/// Numbers the states breadth-first (dead state 0, then `seeds`, then from the seeds and from
/// each start in turn, runs in digit order), so a reader walking the states in order can number
/// every first-reached target itself. Returns old → new and new → old.
fn implicit_order(dfa: &DigitDfa, seeds: &[u32], starts: &[u32]) -> (Vec<u32>, Vec<u32>) {
    let mut order = vec![u32::MAX; dfa.next.len()];
    let mut states: Vec<u32> = vec![0];
    order[0] = 0;
    for s in seeds {
        order[*s as usize] = states.len() as u32;
        states.push(*s);
    }
    let mut qi = 1;
    // The seeds' walk first, then each start's.
    for s in std::iter::once(None).chain(starts.iter().map(Some)) {
        if let Some(&s) = s {
            if order[s as usize] == u32::MAX {
                order[s as usize] = states.len() as u32;
                states.push(s);
            }
        }
        while qi < states.len() {
            let old = states[qi] as usize;
            qi += 1;
            let mut last = u32::MAX;
            for d in 0..10 {
                let t = dfa.next[old][d];
                if t == last {
                    continue;
                }
                last = t;
                if t != 0 && order[t as usize] == u32::MAX {
                    order[t as usize] = states.len() as u32;
                    states.push(t);
                }
            }
        }
    }
    (order, states)
}

/// A national-prefix transform rule (`"0$1"`: literal digits and `$n`, Java's group references)
/// as the reader applies it: ASCII digits as they are, `$n` as the byte `0x60 + n`.
fn transform_rule(rule: &str, id: &str) -> Vec<u8> {
    let mut out = Vec::new();
    let mut bytes = rule.bytes();
    while let Some(b) = bytes.next() {
        match b {
            b'0'..=b'9' => out.push(b),
            b'$' => match bytes.next() {
                Some(g @ b'0'..=b'9') => out.push(0x60 + (g - b'0')),
                _ => fail(&format!(
                    "{id}: a transform rule's \"$\" without a group number"
                )),
            },
            _ => fail(&format!("{id}: a transform rule with {:?}", char::from(b))),
        }
    }
    out
}

fn leb128(mut v: u32, out: &mut Vec<u8>) {
    loop {
        let b = (v & 0x7f) as u8;
        v >>= 7;
        if v == 0 {
            out.push(b);
            return;
        }
        out.push(b | 0x80);
    }
}
