//! Reader of `metadata.bin`, the tables `tools/phonegen` compiles from libphonenumber's metadata.
//!
//! Layout (little-endian; written by `tools/phonegen/src/main.rs`, read only here):
//!
//! ```text
//! "PNM8"
//! u16 territory count N, then the territories column by column, sorted by calling code (the
//! main country of a shared code first, the others in XML order: a code's territories are one
//! range):
//!     8 × N bytes: the calling code less the previous territory's (the first's less 0); the
//!     number of capture groups of the national-prefix program (Java's `groupCount()`); possible
//!     lengths (bit n: n digits) as three byte columns, low first; local-only lengths likewise.
//!     (The main country of a code is the first of its range; a territory has `leadingDigits`
//!     when its leading-digits automaton does not start dead.)
//!     u16 byte size, then 4 × N LEB128 numbers: 1 + the length of each territory's id, of its
//!     IDD program, of its national-prefix program and of its national-prefix transform rule
//!     (string by string; the 1 keeps zero bytes out)
//!     then those strings' bytes, in the same order (the programs: see [`looking_at`]; a
//!     transform rule's `$n` is the byte `0x60 + n`, its digits ASCII)
//! u8 count, u16 labels (the palette of state labels)
//! u16 state count S, u8 seed count K
//! S bytes: per state its label as a palette index
//! u32 length, the row symbols; u32 length, the back references (LEB128): see below
//! u8 log2 of the rows per segment (7)
//! 3 × N, LEB128: the start states of each territory's three automata, the number types' for
//!     every territory, then the general description's, then the leading digits'; 1 is the next
//!     root (in order, the states no earlier row reaches), 2 the dead state, n ≥ 3 state n - 3
//! ```
//!
//! The columns and the labels are stored complemented (`^ 0xff`), and no string length or
//! start is 0: zeros dominate them, and wasm-opt would cut every run of zero bytes out of the
//! .wasm's data segment, at the cost of a segment header each.
//!
//! The rows: state 0 is the dead state; states 1..=K are the K states most referenced by number
//! (numbered first so that those references take one byte); the others are numbered as first
//! reached, breadth-first, reading the rows in order. Each row is a sequence of symbols, one per
//! live run (a maximal run of digits with the same target, not the dead state), then symbol 0
//! (the rest of the row is dead) unless the last run ends at digit 9. A run's symbol is
//! `1 + 4 × pair + kind`, `pair` numbering the dead digits before it and its length (see
//! [`gap_len`]), and `kind` saying which its target is:
//!
//! - 0: the next state not reached before (no number is stored);
//! - 2 and 3: the first and second of the states most recently referenced by kinds 1, 2 and 3,
//!   across rows (a row of siblings refers to the same few suffixes, `\d{6}` then accept, again
//!   and again; moved to the front when used);
//! - 1: the next back reference says: n < 6 is entry 2 + n of those recent states, else the state
//!   n - 6.
//!
//! The rows are cut into segments of 128, each coded on its own: the recently referenced states
//! start empty in each. When the tables load, a scan of the symbols (kinds and run lengths only)
//! finds where each segment starts in the two streams, the next fresh state before it, and the
//! roots. A segment is decoded when a walk first reaches one of its states, into a dense
//! `[u16; 11]` row per state (the next state per digit, then the label), so a check is one array
//! lookup per digit. A number's walk reaches a few segments (the seeds' and its territory's), so
//! the first check in a process decodes some 500 rows, not all 6,763. In Node that first check
//! took ~3.2 ms when every row was decoded up front (V8 also tiered the decoder up, on a hot
//! loop), and takes ~2.3 ms now; a fresh process's import and first `validateMessage` went from
//! ~15 to ~14 ms. The cost: ~740 B of gzip in the .wasm (the scan, the segments' cells, and the
//! recent states' reset, +56 B of `metadata.bin`).
//!
//! A territory's label for some digits is the union of what its three automata say (see
//! `GROUPS` in the generator for why there are three).
//! Decoding is bounds-checked throughout: a damaged header gives `None`, a damaged segment wrong
//! or dead rows (a test checks that each segment uses up exactly its part of both streams),
//! never a panic or a state out of range.

use std::sync::OnceLock;

static METADATA: &[u8] = include_bytes!("metadata.bin");

/// Label bit: the general description matches (pattern and possible lengths).
pub(super) const GENERAL: u16 = 1 << 0;
/// Label bits 1..=10: the number types, in the order libphonenumber's `getNumberType` tries them
/// (`parse::number_type`).
pub(super) const NUMBER_TYPES: u16 = 0b111_1111_1110;
pub(super) const FIXED_LINE: u16 = 1 << 9;
pub(super) const MOBILE: u16 = 1 << 10;
/// Label bit: the territory's `leadingDigits` match a prefix of the digits read.
pub(super) const LEADING_DIGITS: u16 = 1 << 11;
/// Label bit: the general pattern matches, whatever the length (libphonenumber's `matchNationalNumber`).
pub(super) const GENERAL_PATTERN: u16 = 1 << 12;

/// One territory of the metadata: a region, or one non-geographic calling code (`"001"`).
#[derive(Debug, Default)]
pub(super) struct Territory {
    pub id: &'static str,
    pub country_code: u16,
    /// Bit n: n-digit national numbers are possible.
    pub lengths: u32,
    /// Bit n: n-digit numbers are possible only for local dialling.
    pub local_only: u32,
    pub idd: &'static [u8],
    pub national_prefix: &'static [u8],
    /// The capture groups of `national_prefix` (Java's `Matcher.groupCount()`).
    pub national_prefix_groups: u8,
    pub transform: &'static [u8],
    /// The start states of the number types', the general description's (bits [`GENERAL`] and
    /// [`GENERAL_PATTERN`]) and the leading digits' automata.
    start: [u16; 3],
}

impl Territory {
    /// Whether the territory has `leadingDigits` (its leading-digits automaton does not start dead).
    pub fn has_leading_digits(&self) -> bool {
        self.start[2] != 0
    }
}

/// log2 of the rows per segment.
const SEGMENT_SHIFT: u32 = 7;
/// Rows per segment.
const SEGMENT_ROWS: usize = 1 << SEGMENT_SHIFT;
/// A state's row within its segment: its number's low bits.
const ROW_MASK: usize = SEGMENT_ROWS - 1;

/// The most segments: 8,192 states (6,763 in libphonenumber 9.0.35; the generator checks).
const MAX_SEGMENTS: usize = 64;

/// A segment's rows: per state, the next state for each digit, then the state's label.
type SegmentRows = Box<[[u16; 11]; SEGMENT_ROWS]>;

/// The decoded metadata.
#[derive(Debug)]
pub(super) struct Tables {
    /// In file order: by calling code, the main country of a shared code first.
    pub territories: Vec<Territory>,
    /// The territories of each calling code (`by_code[cc]`), as a range of `territories`.
    by_code: Vec<(u16, u16)>,
    /// The rows as coded, for the segments not decoded yet.
    coding: Coding,
    /// Per segment, its rows, decoded on first use (an array, not a `Vec`: no code to fill it).
    segments: [OnceLock<SegmentRows>; MAX_SEGMENTS],
}

/// Where the rows are coded in `metadata.bin`.
#[derive(Debug)]
struct Coding {
    palette: &'static [u8],
    /// Per state, its label as a palette index (complemented).
    labels: &'static [u8],
    symbols: &'static [u8],
    backs: &'static [u8],
    /// Per segment, then one past the last: where its rows start in `symbols` and `backs`, and the
    /// next fresh state before its first row (found by [`RowReader::scan`]).
    checkpoints: Vec<[usize; 3]>,
}

impl Tables {
    /// The territories of a calling code, main country first (empty when unassigned).
    #[inline(always)]
    pub fn for_code(&self, cc: u16) -> &[Territory] {
        self.by_code
            .get(usize::from(cc))
            .and_then(|(lo, hi)| self.territories.get(usize::from(*lo)..usize::from(*hi)))
            .unwrap_or_default()
    }

    /// The main territory of a calling code.
    pub fn main_for_code(&self, cc: u16) -> Option<&Territory> {
        self.for_code(cc).first()
    }

    /// The region with this ISO 3166 code, any case (two letters: not `"001"`, which names no
    /// single code).
    pub fn region(&self, id: &str) -> Option<&Territory> {
        self.territories
            .iter()
            .find(|t| t.id.len() == 2 && t.id.eq_ignore_ascii_case(id))
    }

    /// The row of `state`, its segment decoded first if no walk reached it before.
    #[inline(always)]
    fn row(&self, state: usize) -> Option<&[u16; 11]> {
        let segment = self.segments.get(state >> SEGMENT_SHIFT)?;
        let rows = match segment.get() {
            Some(rows) => rows,
            None => self.decode_segment(segment, state >> SEGMENT_SHIFT),
        };
        rows.get(state & ROW_MASK)
    }

    /// Decodes segment `k` into `segment`. A damaged one (a test checks that none is) gives wrong
    /// or dead rows, never a target that is not a state: each is checked as it is decoded.
    #[cold]
    #[inline(never)]
    fn decode_segment<'a>(&self, segment: &'a OnceLock<SegmentRows>, k: usize) -> &'a SegmentRows {
        segment.get_or_init(|| {
            let mut rows = Box::new([[0; 11]; SEGMENT_ROWS]);
            _ = self.coding.segment(k, &mut rows[..]);
            rows
        })
    }

    /// The label of `state` (none for the dead state 0). Read once per walk: not inlined, so
    /// each walk has one copy of the segment check, in its loop.
    #[inline(never)]
    fn label(&self, state: usize) -> u16 {
        match self.row(state) {
            Some([.., label]) => *label,
            None => 0,
        }
    }

    /// The label bits of `digits` (values 0..=9) in `territory`: what its three automata say.
    /// The three walks run side by side: each step of one waits on its previous load, so three
    /// independent chains take about the time of one.
    pub fn classify(&self, territory: &Territory, digits: &[u8]) -> u16 {
        let [a, b, c] = territory.start;
        let (mut a, mut b, mut c) = (usize::from(a), usize::from(b), usize::from(c));
        for d in digits {
            let d = usize::from(*d);
            (a, b, c) = (self.step(a, d), self.step(b, d), self.step(c, d));
            if a | b | c == 0 {
                return 0;
            }
        }
        // State 0 is the dead state: no label.
        self.label(a) | self.label(b) | self.label(c)
    }

    /// The state after `state` on digit `d` (the dead state 0 when out of range).
    #[inline(always)]
    fn step(&self, state: usize, d: usize) -> usize {
        match self.row(state) {
            Some(row) => match row.get(d) {
                Some(next) => usize::from(*next),
                None => 0,
            },
            None => 0,
        }
    }

    /// Whether the general pattern matches `digits`, whatever their length (libphonenumber's
    /// `matchNationalNumber`): one walk, of the general description's automaton only.
    pub fn matches_general_pattern(&self, territory: &Territory, digits: &[u8]) -> bool {
        self.walk(territory.start[1], digits) & GENERAL_PATTERN != 0
    }

    /// Walks `digits` from `start`; the label bits of where it ends.
    fn walk(&self, start: u16, digits: &[u8]) -> u16 {
        let mut state = usize::from(start);
        for d in digits {
            state = self.step(state, usize::from(*d));
            if state == 0 {
                return 0;
            }
        }
        self.label(state)
    }

    /// Whether every segment decodes whole (for the tests: a damaged one gives wrong rows).
    #[cfg(test)]
    pub fn segments_decode(&self) -> bool {
        let mut scratch = [[0; 11]; SEGMENT_ROWS];
        let segments = self.coding.checkpoints.len().saturating_sub(1);
        (0..segments).all(|k| self.coding.segment(k, &mut scratch).is_some())
    }
}

/// The tables, decoded on first use; `None` only if `metadata.bin` were damaged (a test checks it is not).
pub(super) fn tables() -> Option<&'static Tables> {
    static TABLES: OnceLock<Option<Tables>> = OnceLock::new();
    TABLES.get_or_init(|| decode(METADATA)).as_ref()
}

struct Reader<'a> {
    data: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    fn bytes(&mut self, n: usize) -> Option<&'a [u8]> {
        let data: &'a [u8] = self.data;
        let end = self.at.checked_add(n)?;
        let out = data.get(self.at..end)?;
        self.at = end;
        Some(out)
    }
    fn array<const N: usize>(&mut self) -> Option<[u8; N]> {
        self.bytes(N)?.try_into().ok()
    }
    fn u8(&mut self) -> Option<u8> {
        self.array().map(|[b]: [u8; 1]| b)
    }
    fn u16(&mut self) -> Option<u16> {
        self.array().map(u16::from_le_bytes)
    }
    fn u32(&mut self) -> Option<u32> {
        self.array().map(u32::from_le_bytes)
    }
    fn leb128(&mut self) -> Option<u32> {
        let mut v = 0u32;
        for shift in (0..35).step_by(7) {
            let b = self.u8()?;
            v |= u32::from(b & 0x7f).checked_shl(shift)?;
            if b & 0x80 == 0 {
                return Some(v);
            }
        }
        None
    }
}

/// The (dead gap, live run length) of each row symbol pair, as `tools/phonegen` numbers them: by
/// length, then by gap (10 pairs of length 1, gaps 0 to 9; 9 of length 2; …; 1 of length 10).
/// A table: the decoder looks one up per run, some 21,000 times on the first phone check.
// Evaluated by the compiler: an index out of range fails the build, it cannot panic at run time.
#[allow(clippy::indexing_slicing, clippy::arithmetic_side_effects)]
const GAP_LEN: [(u8, u8); 55] = {
    let mut table = [(0u8, 0u8); 55];
    let (mut i, mut len) = (0, 1u8);
    while len <= 10 {
        let mut gap = 0u8;
        // The gaps that fit before a run of `len` digits: 0..=10 - len.
        while gap <= 10 - len {
            table[i] = (gap, len);
            i += 1;
            gap += 1;
        }
        len += 1;
    }
    table
};

/// Where the `count` LEB128 numbers from `at` end (`None` if `data` ends first).
fn skip_leb128s(data: &[u8], mut at: usize, mut count: usize) -> Option<usize> {
    while count > 0 {
        let byte = data.get(at)?;
        // `at` indexed `data`: below `usize::MAX`.
        at = at.wrapping_add(1);
        if byte & 0x80 == 0 {
            count = count.wrapping_sub(1);
        }
    }
    Some(at)
}

/// The (dead gap, live run length) of row symbol pair `pair` (`None` past the last pair).
fn gap_len(pair: usize) -> Option<(usize, usize)> {
    GAP_LEN
        .get(pair)
        .map(|&(gap, len)| (usize::from(gap), usize::from(len)))
}

/// The territory columns and the labels are stored complemented.
const COMPLEMENT: u8 = 0xff;

/// How many recently referenced states the back references can name, after the two the kinds name.
const RECENT_IN_BACKS: usize = 6;
/// The recently referenced states the reader keeps.
const RECENT: usize = 2 + RECENT_IN_BACKS;

/// Reads the rows, one at a time (see the module docs for the coding).
struct RowReader<'a> {
    palette: &'a [u8],
    states: usize,
    symbols: std::slice::Iter<'a, u8>,
    backs: Reader<'a>,
    /// The next state not yet reached: the seeds are numbered before any row is read.
    fresh: usize,
    /// The states most recently referenced other than as fresh, the last first (0: none yet).
    recent: [usize; RECENT],
}

// `scan`, `rows` and `row` are not inlined into their callers (`#[inline(never)]`, and wasm-opt's
// `--no-inline=*RowReader::*` in Cargo.toml): V8 tiers a hot wasm function up to its optimising
// compiler, and when that function was all of `decode` (~4.4 KB of code) the compile cost the
// main thread ~4 ms of the first phone check in Node (1.5 ms without it). These loops alone
// compile in a fraction of a millisecond.
impl RowReader<'_> {
    /// Where each segment's rows start in the two streams and the next fresh state before each
    /// (then the streams' ends and the state count), and the roots: the rows no earlier row
    /// reaches, in order (the starts coded as roots). Reads each symbol's kind and run length only:
    /// no target, no row.
    #[inline(never)]
    fn scan(
        symbols: &[u8],
        backs: &[u8],
        states: usize,
        seeds: usize,
    ) -> Option<(Vec<[usize; 3]>, Vec<usize>)> {
        let mut checkpoints = Vec::new();
        let mut roots = Vec::new();
        // At most `states` (≤ 65,535) in a whole file: no saturation.
        let mut fresh = seeds.saturating_add(1);
        // One flat loop over the symbols (V8 tiers a long-running loop up, at a cost to the
        // first check: the fewer instructions per symbol, the later). Back references are only
        // counted here, and skipped in `backs` at each checkpoint.
        let (mut backs_pending, mut back_at) = (0usize, 0usize);
        // The rows begun, and the digits of the last one read (10: it is complete).
        let (mut rows, mut d) = (0usize, 10usize);
        for (at, symbol) in symbols.iter().enumerate() {
            if d >= 10 {
                if rows & ROW_MASK == 0 {
                    back_at = skip_leb128s(backs, back_at, backs_pending)?;
                    backs_pending = 0;
                    checkpoints.push([at, back_at, fresh]);
                }
                if rows > 0 && fresh <= rows {
                    roots.push(rows);
                    fresh = rows.saturating_add(1);
                }
                rows = rows.wrapping_add(1);
                d = 0;
            }
            match symbol.checked_sub(1) {
                // The rest of the row is dead.
                None => d = 10,
                Some(run) => {
                    let (gap, len) = gap_len(usize::from(run >> 2))?;
                    // At most 10 + 10: no wrap. A row past digit 9 fails its segment's decoding.
                    d = d.wrapping_add(gap.wrapping_add(len));
                    match run & 3 {
                        0 => fresh = fresh.saturating_add(1),
                        1 => backs_pending = backs_pending.wrapping_add(1),
                        _ => {}
                    }
                }
            }
        }
        back_at = skip_leb128s(backs, back_at, backs_pending)?;
        // (A last row cut short fails its segment's decoding.)
        if rows != states || back_at != backs.len() || fresh != states {
            return None;
        }
        checkpoints.push([symbols.len(), backs.len(), states]);
        Some((checkpoints, roots))
    }

    /// The rows of the states from `first`, one per label, into `out`. A row no earlier row
    /// reaches is a root: the fresh states continue after it.
    #[inline(never)]
    fn rows(&mut self, first: usize, labels: &[u8], out: &mut [[u16; 11]]) -> Option<()> {
        for (i, (row, label)) in out.iter_mut().zip(labels).enumerate() {
            let i = first.checked_add(i)?;
            if i > 0 && self.fresh <= i {
                self.fresh = i.checked_add(1)?;
            }
            *row = self.row(*label)?;
        }
        Some(())
    }

    /// The next row, its label stored as `label` (a palette index, complemented).
    #[inline(never)]
    fn row(&mut self, label: u8) -> Option<[u16; 11]> {
        let mut row = [0u16; 11];
        let at = usize::from(label ^ COMPLEMENT).checked_mul(2)?;
        let [.., label] = &mut row;
        *label = Reader {
            data: self.palette,
            at,
        }
        .u16()?;
        let mut d = 0usize;
        while d < 10 {
            let symbol = *self.symbols.next()?;
            let Some(run) = symbol.checked_sub(1) else {
                break; // The rest of the row is dead.
            };
            let (gap, len) = gap_len(usize::from(run >> 2))?;
            let first = d.checked_add(gap)?;
            d = first.checked_add(len)?;
            // The target, and where it was in `recent` (the last entry if it was not there).
            let (target, at) = match run & 3 {
                0 => {
                    let target = self.fresh;
                    self.fresh = self.fresh.checked_add(1)?;
                    (target, None)
                }
                1 => match self.backs.leb128()? as usize {
                    n if n < RECENT_IN_BACKS => {
                        let at = n.checked_add(2)?;
                        (*self.recent.get(at)?, Some(at))
                    }
                    n => (
                        n.checked_sub(RECENT_IN_BACKS)?,
                        Some(RECENT.checked_sub(1)?),
                    ),
                },
                n => {
                    let at = usize::from(n).checked_sub(2)?;
                    (*self.recent.get(at)?, Some(at))
                }
            };
            if target == 0 || target >= self.states || d > 10 {
                return None;
            }
            row.get_mut(first..d)?.fill(target as u16);
            // Move to front: the entries before shift down one (the last falls off if new).
            if let Some(at) = at {
                let mut to = at;
                while let Some(from) = to.checked_sub(1) {
                    *self.recent.get_mut(to)? = *self.recent.get(from)?;
                    to = from;
                }
                *self.recent.first_mut()? = target;
            }
        }
        Some(row)
    }
}

fn decode(data: &'static [u8]) -> Option<Tables> {
    let mut r = Reader { data, at: 0 };
    if r.bytes(4)? != b"PNM8" {
        return None;
    }
    let count = usize::from(r.u16()?);
    let columns = r.bytes(count.checked_mul(8)?)?;
    let mut territories = Vec::with_capacity(count);
    let mut country_code = 0u32;
    for i in 0..count {
        let byte = |c: usize| {
            columns
                .get(c.checked_mul(count)?.checked_add(i)?)
                .map(|b| u32::from(b ^ COMPLEMENT))
        };
        country_code = country_code.checked_add(byte(0)?)?;
        territories.push(Territory {
            country_code: u16::try_from(country_code).ok()?,
            national_prefix_groups: u8::try_from(byte(1)?).ok()?,
            lengths: byte(2)? | byte(3)? << 8 | byte(4)? << 16,
            local_only: byte(5)? | byte(6)? << 8 | byte(7)? << 16,
            ..Territory::default()
        });
    }
    // The strings follow their lengths: each one in turn, field by field.
    let lens_size = usize::from(r.u16()?);
    let mut lens = Reader {
        data: r.bytes(lens_size)?,
        at: 0,
    };
    for field in 0..4 {
        for t in territories.iter_mut() {
            let s = r.bytes((lens.leb128()? as usize).checked_sub(1)?)?;
            match field {
                0 => t.id = std::str::from_utf8(s).ok()?,
                1 => t.idd = s,
                2 => t.national_prefix = s,
                _ => t.transform = s,
            }
        }
    }
    let palette_len = usize::from(r.u8()?);
    let palette = r.bytes(palette_len.checked_mul(2)?)?;
    let states = usize::from(r.u16()?);
    let seeds = usize::from(r.u8()?);
    let labels = r.bytes(states)?;
    let symbols_len = r.u32()? as usize;
    let symbols = r.bytes(symbols_len)?;
    let backs_len = r.u32()? as usize;
    let backs = r.bytes(backs_len)?;

    if u32::from(r.u8()?) != SEGMENT_SHIFT || states.div_ceil(SEGMENT_ROWS) > MAX_SEGMENTS {
        return None;
    }
    let (checkpoints, roots) = RowReader::scan(symbols, backs, states, seeds)?;

    let mut roots = roots.into_iter();
    for group in 0..3 {
        for t in territories.iter_mut() {
            let start = match r.leb128()? {
                1 => roots.next()?,
                2 => 0,
                n => n.checked_sub(3)? as usize,
            };
            if start >= states {
                return None;
            }
            *t.start.get_mut(group)? = start as u16;
        }
    }
    if r.at != data.len() {
        return None;
    }

    // The territories are sorted by calling code: each code's are a range.
    let mut by_code = Vec::with_capacity(1000);
    let mut end = 0usize;
    for cc in 0..1000u16 {
        let start = end;
        while territories.get(end).is_some_and(|t| t.country_code == cc) {
            end = end.checked_add(1)?;
        }
        by_code.push((start as u16, end as u16));
    }
    if end != count {
        return None;
    }
    Some(Tables {
        territories,
        by_code,
        coding: Coding {
            palette,
            labels,
            symbols,
            backs,
            checkpoints,
        },
        segments: [const { OnceLock::new() }; MAX_SEGMENTS],
    })
}

impl Coding {
    /// Decodes segment `k` into `out`: `None` if it does not use up exactly its part of both
    /// streams, or does not reach the fresh state the next segment starts from.
    fn segment(&self, k: usize, out: &mut [[u16; 11]]) -> Option<()> {
        let [symbols, backs, fresh] = *self.checkpoints.get(k)?;
        let [symbols_end, backs_end, fresh_end] = *self.checkpoints.get(k.checked_add(1)?)?;
        let first = k.checked_mul(SEGMENT_ROWS)?;
        let end = first.checked_add(SEGMENT_ROWS)?.min(self.labels.len());
        let mut reader = RowReader {
            palette: self.palette,
            states: self.labels.len(),
            symbols: self.symbols.get(symbols..symbols_end)?.iter(),
            backs: Reader {
                data: self.backs.get(..backs_end)?,
                at: backs,
            },
            fresh,
            recent: [0usize; RECENT],
        };
        reader.rows(first, self.labels.get(first..end)?, out)?;
        let whole = reader.symbols.next().is_none() && reader.backs.at == backs_end;
        (whole && reader.fresh == fresh_end).then_some(())
    }
}

/// Runs a parse-time program (Java's `Matcher.lookingAt`: anchored at the start, leftmost-first
/// and greedy as a backtracking engine) over `input` (digit values 0..=9).
///
/// Returns the end of the match and the capture slots (group n at `2n`, `2n + 1`; `None` when the
/// group took no part). The step budget bounds the work on any input; past it, no match.
///
/// A program is a sequence of instructions, an opcode byte and its operands; running off its
/// end is a match:
///
/// - `b'0'..=b'9'`: consume that digit; `b'['`, u16 mask: consume a digit whose bit is set;
/// - `b'|'`, LEB128 n: try the next instruction, then (on failure) the one n bytes after this
///   instruction's end; `b'>'`, LEB128 n: continue n bytes after this instruction's end;
/// - `b'a'..=b'j'`: save the position in capture slot 0..=9; `b'$'`: the input must end here.
pub(super) fn looking_at(prog: &[u8], input: &[u8]) -> Option<(usize, Captures)> {
    let mut slots: Captures = [None; 10];
    let mut budget = 100_000u32;
    let end = run(prog, 0, input, 0, &mut slots, &mut budget)?;
    Some((end, slots))
}

/// Runs `prog` from `pc` over `input` from `pos`: the end of the first match, with the capture
/// slots as it set them (on failure, as they were). A split tries its first branch by recursion,
/// so the depth is bounded by the program's length (a few hundred bytes at most).
fn run(
    prog: &[u8],
    pc: usize,
    input: &[u8],
    mut pos: usize,
    slots: &mut Captures,
    budget: &mut u32,
) -> Option<usize> {
    let mut code = Reader { data: prog, at: pc };
    loop {
        *budget = budget.checked_sub(1)?;
        // Running off the end of the program is a match.
        let Some(op) = code.u8() else {
            return Some(pos);
        };
        match op {
            b'0'..=b'9' | b'[' => {
                let mask = match op {
                    b'[' => code.u16()?,
                    d => 1 << (d & 0x0f),
                };
                let d = input.get(pos)?;
                if mask.checked_shr(u32::from(*d))? & 1 == 0 {
                    return None;
                }
                // `input.get(pos)` was `Some`, so `pos < input.len()`: never saturates.
                pos = pos.saturating_add(1);
            }
            b'|' | b'>' => {
                let n = code.leb128()? as usize;
                let target = code.at.checked_add(n)?;
                if op == b'|' {
                    if let Some(end) = run(prog, code.at, input, pos, slots, budget) {
                        return Some(end);
                    }
                }
                code.at = target;
            }
            b'a'..=b'j' => {
                let slot = slots.get_mut(usize::from(op & 0x0f).checked_sub(1)?)?;
                let old = slot.replace(pos);
                let end = run(prog, code.at, input, pos, slots, budget);
                if end.is_none() {
                    if let Some(slot) = slots.get_mut(usize::from(op & 0x0f).checked_sub(1)?) {
                        *slot = old;
                    }
                }
                return end;
            }
            b'$' if pos == input.len() => {}
            _ => return None,
        }
    }
}

/// Capture slots of [`looking_at`]: group n spans `slots[2n]..slots[2n + 1]`.
pub(super) type Captures = [Option<usize>; 10];

#[cfg(test)]
mod damage {
    use super::*;

    /// A byte changed anywhere in the last 42 KB (the rows, the starts; one place in 97) gives
    /// no tables, or tables whose walks end, dead or not: never a panic.
    #[test]
    fn a_damaged_file_never_panics() {
        for at in (METADATA.len().saturating_sub(42_000)..METADATA.len()).step_by(97) {
            let mut data = METADATA.to_vec();
            data[at] ^= 0x5a;
            let data: &'static [u8] = Box::leak(data.into_boxed_slice());
            let Some(tables) = decode(data) else {
                continue;
            };
            for t in &tables.territories {
                for digits in [&[2u8, 4, 4, 0, 0, 0, 0, 0, 0][..], &[9; 12], &[1, 2, 3]] {
                    tables.classify(t, digits);
                    tables.matches_general_pattern(t, digits);
                }
            }
        }
    }
}
