//! Reader of `metadata.bin`, the tables `tools/phonegen` compiles from libphonenumber's metadata.
//!
//! Layout (little-endian; written by `tools/phonegen/src/main.rs`, read only here):
//!
//! ```text
//! "PNM1"
//! u16 territory count, u8 record size, then per territory (XML order):
//!     u16 calling code, u8 flags (1 main country for its code, 2 has leadingDigits, 4 has generalDesc),
//!     u24 possible lengths (bit n: n digits), u24 local-only lengths,
//!     4 × (u16 offset, u16 length) into the strings: id, IDD program, national-prefix program,
//!     national-prefix transform rule
//! u32 length, strings
//! u8 count, u16 labels (the palette of state labels)
//! u32 state count
//! u32 length, per state: u8 palette index, then runs `last digit | kind`, the last run ending at 9;
//!     kind 0x00 dead, 0x10 the next state not reached before, 0x20 a back reference
//! u32 length, the back references, LEB128, in the order the runs need them
//! u16 × territory count: each territory's start state
//! ```
//!
//! The whole file is decoded once, on first use, into a dense `[u16; 10]` table per state, so a
//! check is one array lookup per digit. Decoding is bounds-checked throughout: a damaged file
//! gives `None`, never a panic.

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
    start: u16,
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

    /// Walks `digits` (values 0..=9) from `territory`'s start; the label bits of where it ends.
    pub fn classify(&self, territory: &Territory, digits: &[u8]) -> u16 {
        let mut state = usize::from(territory.start);
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
    fn u24(&mut self) -> Option<u32> {
        let b = self.bytes(3)?;
        Some(u32::from_le_bytes([b[0], b[1], b[2], 0]))
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
    if r.bytes(4)? != b"PNM1" {
        return None;
    }
    let count = usize::from(r.u16()?);
    let record_size = usize::from(r.u8()?);
    let records = r.bytes(count.checked_mul(record_size)?)?;
    let strings_len = r.u32()? as usize;
    let strings = r.bytes(strings_len)?;
    let string = |off: u16, len: u16| -> Option<&'static [u8]> {
        let off = usize::from(off);
        strings.get(off..off + usize::from(len))
    };

    let mut territories = Vec::with_capacity(count);
    for i in 0..count {
        let rec: &'static [u8] = records.get(i * record_size..(i + 1) * record_size)?;
        let mut rr = Reader { data: rec, at: 0 };
        let country_code = rr.u16()?;
        let flags = rr.u8()?;
        let lengths = rr.u24()?;
        let local_only = rr.u24()?;
        let mut field = || -> Option<&'static [u8]> {
            let off = rr.u16()?;
            let len = rr.u16()?;
            string(off, len)
        };
        let id = std::str::from_utf8(field()?).ok()?;
        let idd = field()?;
        let national_prefix = field()?;
        let transform = std::str::from_utf8(field()?).ok()?;
        territories.push(Territory {
            id,
            country_code,
            main: flags & 1 != 0,
            has_leading_digits: flags & 2 != 0,
            lengths,
            local_only,
            idd,
            national_prefix,
            transform,
            start: 0,
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
        label.push(*palette.get(usize::from(runs.u8()?))?);
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
    for t in territories.iter_mut() {
        t.start = r.u16()?;
        if usize::from(t.start) >= states {
            return None;
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
    let mut stack = vec![Frame::Try(0, 0)];
    let mut budget = 100_000u32;
    while let Some(frame) = stack.pop() {
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
