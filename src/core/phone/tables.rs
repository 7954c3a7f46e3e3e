//! Reader of `metadata.bin`, the tables `tools/phonegen` compiles from libphonenumber's metadata.
//!
//! Layout (little-endian; written by `tools/phonegen/src/main.rs`, read only here):
//!
//! ```text
//! "PNM2"
//! u16 territory count N, then the territories column by column (XML order):
//!     9 × N bytes: calling code low bytes, high bytes; flags (1 main country for its code,
//!     2 has leadingDigits, 4 has generalDesc); possible lengths (bit n: n digits) as three byte
//!     columns, low first; local-only lengths likewise
//!     4 × N × u16: the lengths of each territory's id, of its IDD programs, of its national-prefix
//!     programs and of its national-prefix transform rules (string by string)
//!     then those strings' bytes, in the same order
//! u8 count, u16 labels (the palette of state labels)
//! u32 state count, then per state its label as a palette index (u8)
//! u32 length, per state: runs `last digit | kind`, the last run ending at 9;
//!     kind 0x00 dead, 0x10 the next state not reached before, 0x20 a back reference
//! u32 length, the back references, LEB128, in the order the runs need them
//! 3 × territory count, LEB128: the start states of each territory's three automata, the number
//!     types' for every territory, then the general description's, then the leading digits';
//!     0 is the dead state, n > 0 the last live start plus the zigzag-decoded n - 1
//! ```
//!
//! A territory's label for some digits is the union of what its three automata say (see
//! `GROUPS` in the generator for why there are three). The whole file is decoded once, on first
//! use, into a dense `[u16; 10]` table per state, so a check is one array lookup per digit.
//! Decoding is bounds-checked throughout: a damaged file gives `None`, never a panic.

use std::sync::OnceLock;

static METADATA: &[u8] = include_bytes!("metadata.bin");

/// Label bit: the general description matches (pattern and possible lengths).
pub(super) const GENERAL: u16 = 1 << 0;
/// Label bits 1..=10: the number types, in [`TYPE_ORDER`].
pub(super) const FIXED_LINE: u16 = 1 << 1;
pub(super) const MOBILE: u16 = 1 << 2;
pub(super) const TOLL_FREE: u16 = 1 << 3;
pub(super) const PREMIUM_RATE: u16 = 1 << 4;
pub(super) const SHARED_COST: u16 = 1 << 5;
pub(super) const PERSONAL_NUMBER: u16 = 1 << 6;
pub(super) const VOIP: u16 = 1 << 7;
pub(super) const PAGER: u16 = 1 << 8;
pub(super) const UAN: u16 = 1 << 9;
pub(super) const VOICEMAIL: u16 = 1 << 10;
/// Label bit: the territory's `leadingDigits` match a prefix of the digits read.
pub(super) const LEADING_DIGITS: u16 = 1 << 11;
/// Label bit: the general pattern matches, whatever the length (libphonenumber's `matchNationalNumber`).
pub(super) const GENERAL_PATTERN: u16 = 1 << 12;

/// One territory of the metadata: a region, or one non-geographic calling code (`"001"`).
#[derive(Debug)]
pub(super) struct Territory {
    pub id: &'static str,
    pub country_code: u16,
    pub main: bool,
    pub has_leading_digits: bool,
    /// Bit n: n-digit national numbers are possible.
    pub lengths: u32,
    /// Bit n: n-digit numbers are possible only for local dialling.
    pub local_only: u32,
    pub idd: &'static [u8],
    pub national_prefix: &'static [u8],
    pub transform: &'static str,
    /// The start states of the number types', the general description's (bits [`GENERAL`] and
    /// [`GENERAL_PATTERN`]) and the leading digits' automata.
    start: [u16; 3],
}

/// The decoded metadata.
#[derive(Debug)]
pub(super) struct Tables {
    pub territories: Vec<Territory>,
    /// Territory indices per calling code (`by_code[cc]`), the main country first.
    by_code: Vec<Vec<u16>>,
    next: Vec<[u16; 10]>,
    label: Vec<u16>,
}

impl Tables {
    /// The territories of a calling code, main country first (empty when unassigned).
    pub fn for_code(&self, cc: u16) -> &[u16] {
        self.by_code
            .get(usize::from(cc))
            .map_or(&[], |v| v.as_slice())
    }

    /// The territory by index.
    pub fn territory(&self, index: u16) -> Option<&Territory> {
        self.territories.get(usize::from(index))
    }

    /// The main territory of a calling code.
    pub fn main_for_code(&self, cc: u16) -> Option<&Territory> {
        self.for_code(cc).first().and_then(|i| self.territory(*i))
    }

    /// The region with this ISO 3166 code, any case (not `"001"`, which names no single code).
    pub fn region(&self, id: &str) -> Option<&Territory> {
        self.territories
            .iter()
            .find(|t| t.id != "001" && t.id.eq_ignore_ascii_case(id))
    }

    /// The label bits of `digits` (values 0..=9) in `territory`: what its three automata say.
    pub fn classify(&self, territory: &Territory, digits: &[u8]) -> u16 {
        territory
            .start
            .iter()
            .fold(0, |label, start| label | self.walk(*start, digits))
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
            state = match self
                .next
                .get(state)
                .and_then(|row| row.get(usize::from(*d)))
            {
                Some(next) => usize::from(*next),
                None => return 0,
            };
            if state == 0 {
                return 0;
            }
        }
        self.label.get(state).copied().unwrap_or(0)
    }
}

/// The tables, decoded on first use; `None` only if `metadata.bin` were damaged (a test checks it is not).
pub(super) fn tables() -> Option<&'static Tables> {
    static TABLES: OnceLock<Option<Tables>> = OnceLock::new();
    TABLES.get_or_init(|| decode(METADATA)).as_ref()
}

struct Reader {
    data: &'static [u8],
    at: usize,
}

impl Reader {
    fn bytes(&mut self, n: usize) -> Option<&'static [u8]> {
        let data: &'static [u8] = self.data;
        let out = data.get(self.at..self.at.checked_add(n)?)?;
        self.at += n;
        Some(out)
    }
    fn u8(&mut self) -> Option<u8> {
        Some(self.bytes(1)?[0])
    }
    fn u16(&mut self) -> Option<u16> {
        let b = self.bytes(2)?;
        Some(u16::from_le_bytes([b[0], b[1]]))
    }
    fn u32(&mut self) -> Option<u32> {
        let b = self.bytes(4)?;
        Some(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
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

fn decode(data: &'static [u8]) -> Option<Tables> {
    let mut r = Reader { data, at: 0 };
    if r.bytes(4)? != b"PNM2" {
        return None;
    }
    let count = usize::from(r.u16()?);
    let columns = r.bytes(count.checked_mul(9)?)?;
    let column = |c: usize, i: usize| columns.get(c * count + i).copied().map(u32::from);
    let mut lens = Reader {
        data: r.bytes(count.checked_mul(8)?)?,
        at: 0,
    };
    // The strings follow the lengths: each one is read in turn, field by field.
    let mut fields: [Vec<&'static [u8]>; 4] = Default::default();
    for field in fields.iter_mut() {
        for _ in 0..count {
            let len = usize::from(lens.u16()?);
            field.push(r.bytes(len)?);
        }
    }
    let mut territories = Vec::with_capacity(count);
    for i in 0..count {
        let byte = |c: usize| column(c, i);
        let field = |f: usize| fields.get(f).and_then(|v| v.get(i)).copied();
        let flags = byte(2)?;
        territories.push(Territory {
            id: std::str::from_utf8(field(0)?).ok()?,
            country_code: u16::try_from(byte(0)? | byte(1)? << 8).ok()?,
            main: flags & 1 != 0,
            has_leading_digits: flags & 2 != 0,
            lengths: byte(3)? | byte(4)? << 8 | byte(5)? << 16,
            local_only: byte(6)? | byte(7)? << 8 | byte(8)? << 16,
            idd: field(1)?,
            national_prefix: field(2)?,
            transform: std::str::from_utf8(field(3)?).ok()?,
            start: [0; 3],
        });
    }

    let palette_len = usize::from(r.u8()?);
    let mut palette = Vec::with_capacity(palette_len);
    for _ in 0..palette_len {
        palette.push(r.u16()?);
    }
    let states = r.u32()? as usize;
    if states > usize::from(u16::MAX) {
        return None;
    }
    let labels = r.bytes(states)?;
    let runs_len = r.u32()? as usize;
    let mut runs = Reader {
        data: r.bytes(runs_len)?,
        at: 0,
    };
    let backs_len = r.u32()? as usize;
    let mut backs = Reader {
        data: r.bytes(backs_len)?,
        at: 0,
    };

    let mut next = Vec::with_capacity(states);
    let mut label = Vec::with_capacity(states);
    let mut fresh = 0usize;
    for i in 0..states {
        fresh = fresh.max(i + 1);
        label.push(*palette.get(usize::from(*labels.get(i)?))?);
        let mut row = [0u16; 10];
        let mut d = 0usize;
        while d < 10 {
            let run = runs.u8()?;
            let last = usize::from(run & 0x0f);
            if last < d || last > 9 {
                return None;
            }
            let target = match run & 0xf0 {
                0x00 => 0,
                0x10 => {
                    fresh += 1;
                    fresh - 1
                }
                0x20 => backs.leb128()? as usize,
                _ => return None,
            };
            if target >= states {
                return None;
            }
            row[d..=last].fill(target as u16);
            d = last + 1;
        }
        next.push(row);
    }
    let mut last = 0i64;
    for group in 0..3 {
        for t in territories.iter_mut() {
            let n = i64::from(r.leb128()?);
            if n > 0 {
                let zigzag = n - 1;
                last += if zigzag % 2 == 0 {
                    zigzag / 2
                } else {
                    -(zigzag + 1) / 2
                };
            }
            let start = if n == 0 { 0 } else { last };
            t.start[group] = u16::try_from(start)
                .ok()
                .filter(|s| usize::from(*s) < states)?;
        }
    }
    if r.at != data.len() {
        return None;
    }

    let mut by_code: Vec<Vec<u16>> = vec![Vec::new(); 1000];
    for (i, t) in territories.iter().enumerate() {
        let list = by_code.get_mut(usize::from(t.country_code))?;
        // libphonenumber lists the main country of a shared code first, the others in file order.
        if t.main {
            list.insert(0, i as u16);
        } else {
            list.push(i as u16);
        }
    }
    Some(Tables {
        territories,
        by_code,
        next,
        label,
    })
}

/// Runs a parse-time program (Java's `Matcher.lookingAt`: anchored at the start, leftmost-first
/// and greedy as a backtracking engine) over `input` (digit values 0..=9).
///
/// Returns the end of the match and the capture slots (group n at `2n`, `2n + 1`; `None` when the
/// group took no part). The step budget bounds the work on any input; past it, no match.
pub(super) fn looking_at(prog: &[u8], input: &[u8]) -> Option<(usize, Captures)> {
    const OP_CLASS: u8 = 1;
    const OP_SPLIT: u8 = 2;
    const OP_JUMP: u8 = 3;
    const OP_SAVE: u8 = 4;
    const OP_END: u8 = 5;
    const OP_MATCH: u8 = 6;
    enum Frame {
        Try(usize, usize),
        Restore(usize, Option<usize>),
    }
    let at = |i: usize| -> Option<usize> {
        let lo = *prog.get(i)?;
        let hi = *prog.get(i + 1)?;
        Some(usize::from(u16::from_le_bytes([lo, hi])))
    };
    let mut slots: Captures = [None; 10];
    // The first frame is not pushed: most programs fail on their first digit, and then the
    // stack is never allocated (this runs on every number parsed).
    let mut stack = Vec::new();
    let mut first = Some(Frame::Try(0, 0));
    let mut budget = 100_000u32;
    while let Some(frame) = first.take().or_else(|| stack.pop()) {
        let (mut pc, mut pos) = match frame {
            Frame::Restore(slot, old) => {
                if let Some(s) = slots.get_mut(slot) {
                    *s = old;
                }
                continue;
            }
            Frame::Try(pc, pos) => (pc, pos),
        };
        loop {
            budget = budget.checked_sub(1)?;
            match *prog.get(pc)? {
                OP_CLASS => {
                    let mask = at(pc + 1)?;
                    match input.get(pos) {
                        Some(d) if mask >> d & 1 == 1 => {
                            pos += 1;
                            pc += 3;
                        }
                        _ => break,
                    }
                }
                OP_SPLIT => {
                    stack.push(Frame::Try(at(pc + 3)?, pos));
                    pc = at(pc + 1)?;
                }
                OP_JUMP => pc = at(pc + 1)?,
                OP_SAVE => {
                    let slot = usize::from(*prog.get(pc + 1)?);
                    let old = *slots.get(slot)?;
                    stack.push(Frame::Restore(slot, old));
                    if let Some(s) = slots.get_mut(slot) {
                        *s = Some(pos);
                    }
                    pc += 2;
                }
                OP_END if pos == input.len() => pc += 1,
                OP_END => break,
                OP_MATCH => return Some((pos, slots)),
                _ => return None,
            }
        }
    }
    None
}

/// Capture slots of [`looking_at`]: group n spans `slots[2n]..slots[2n + 1]`.
pub(super) type Captures = [Option<usize>; 10];

/// The highest capture group a program sets (Java's `Matcher.groupCount()`).
pub(super) fn group_count(prog: &[u8]) -> usize {
    // Walk instruction by instruction: operand bytes could look like opcodes.
    let mut pc = 0;
    let mut max = 0;
    while let Some(op) = prog.get(pc) {
        pc += match op {
            1 | 3 => 3,
            2 => 5,
            4 => {
                max = max.max(prog.get(pc + 1).map_or(0, |s| usize::from(*s) / 2));
                2
            }
            _ => 1,
        };
    }
    max
}
