//! A raw DEFLATE (RFC 1951) decoder with no allocator and no standard library, compiled on its
//! own to a WebAssembly module of a few kilobytes. The package's browser entry carries the main
//! `.wasm` deflated, in base64 (so a bundle needs no file beside it and no top-level await); a
//! decoder in JavaScript spends most of a cold start interpreted, this one runs compiled.
//!
//! The caller owns the memory: it places the input, the output and the decoder's tables in the
//! module's linear memory and passes their addresses to [`inflate`].
//!
//! ```
//! // A stored block holding "hi": BFINAL=1, BTYPE=00, LEN=2, NLEN=!2.
//! let input = [1u8, 2, 0, 0xfd, 0xff, b'h', b'i'];
//! let mut out = [0u8; 2];
//! let mut tables = vec![0u32; sendexa_inflate::TABLE_WORDS];
//! assert_eq!(sendexa_inflate::inflate_into(&input, &mut out, &mut tables), Ok(()));
//! assert_eq!(&out, b"hi");
//! ```
#![cfg_attr(all(target_arch = "wasm32", not(test)), no_std)]
#![deny(missing_docs)]

/// Bits of the lookup tables' index: the longest DEFLATE code.
const MAX_BITS: usize = 15;
/// `u32` words the caller provides for the tables: literal/length and distance, each indexed by
/// 15 bits, and the code-length code's.
pub const TABLE_WORDS: usize = 2 * (1 << MAX_BITS) + (1 << 7);

const LENGTH_BASE: [u16; 29] = [
    3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131,
    163, 195, 227, 258,
];
const LENGTH_EXTRA: [u8; 29] = [
    0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0,
];
const DISTANCE_BASE: [u16; 30] = [
    1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537,
    2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577,
];
const DISTANCE_EXTRA: [u8; 30] = [
    0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13,
    13,
];
const CODE_LENGTH_ORDER: [usize; 19] = [
    16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15,
];

/// Why a stream could not be inflated.
#[derive(Debug, PartialEq, Eq, Clone, Copy)]
pub enum InflateError {
    /// A code, block type, length or distance DEFLATE does not define, or bits past the input.
    Malformed,
    /// The stream holds more or fewer bytes than the output's size.
    WrongSize,
    /// The caller's table space is smaller than [`TABLE_WORDS`].
    NoRoom,
}

/// A canonical Huffman code as a table indexed by the next `bits` input bits, least significant
/// first: `symbol << 4 | length`, 0 where no code matches.
struct Table<'a> {
    entries: &'a mut [u32],
    bits: u32,
}

fn build<'a>(lengths: &[u8], space: &'a mut [u32]) -> Result<Table<'a>, InflateError> {
    let bits = lengths.iter().copied().max().unwrap_or(0);
    if usize::from(bits) > MAX_BITS {
        return Err(InflateError::Malformed);
    }
    let size = 1usize << bits;
    let entries = space.get_mut(..size).ok_or(InflateError::NoRoom)?;
    entries.fill(0);
    let mut count = [0u16; 16];
    for &length in lengths {
        if let Some(c) = count.get_mut(usize::from(length)) {
            *c = c.wrapping_add(1);
        }
    }
    count[0] = 0;
    let mut next = [0u16; 16];
    let mut code = 0u16;
    for length in 1..=usize::from(bits) {
        code = code.wrapping_add(count[length - 1]) << 1;
        next[length] = code;
    }
    for (symbol, &length) in lengths.iter().enumerate() {
        if length == 0 {
            continue;
        }
        let slot = &mut next[usize::from(length)];
        let mut c = *slot;
        *slot = slot.wrapping_add(1);
        // The code's bits are sent most significant first: reverse them to index by input order.
        let mut reversed = 0usize;
        for _ in 0..length {
            reversed = (reversed << 1) | usize::from(c & 1);
            c >>= 1;
        }
        let entry = ((symbol as u32) << 4) | u32::from(length);
        let mut i = reversed;
        while i < size {
            entries[i] = entry;
            i += 1 << length;
        }
    }
    Ok(Table {
        entries,
        bits: u32::from(bits),
    })
}

struct Bits<'a> {
    input: &'a [u8],
    at: usize,
    buffer: u64,
    count: u32,
}

impl Bits<'_> {
    /// At least `n` (≤ 32) bits buffered; past the input's end, zero bits (a stream that needs
    /// them is caught by the size checks).
    #[inline(always)]
    fn fill(&mut self, n: u32) {
        while self.count < n {
            let byte = self.input.get(self.at).copied().unwrap_or(0);
            self.at += 1;
            self.buffer |= u64::from(byte) << self.count;
            self.count += 8;
        }
    }
    #[inline(always)]
    fn take(&mut self, n: u32) -> u32 {
        self.fill(n);
        let value = (self.buffer & ((1u64 << n) - 1)) as u32;
        self.buffer >>= n;
        self.count -= n;
        value
    }
    #[inline(always)]
    fn decode(&mut self, table: &Table) -> Result<usize, InflateError> {
        self.fill(table.bits);
        let index = (self.buffer & ((1u64 << table.bits) - 1)) as usize;
        let entry = table.entries.get(index).copied().unwrap_or(0);
        if entry == 0 {
            return Err(InflateError::Malformed);
        }
        let length = entry & 15;
        self.buffer >>= length;
        self.count -= length;
        Ok((entry >> 4) as usize)
    }
}

/// Inflates the raw DEFLATE stream `input` into exactly `out`, using `tables` (at least
/// [`TABLE_WORDS`] words) for the Huffman tables.
pub fn inflate_into(input: &[u8], out: &mut [u8], tables: &mut [u32]) -> Result<(), InflateError> {
    if tables.len() < TABLE_WORDS {
        return Err(InflateError::NoRoom);
    }
    let (literal_space, rest) = tables.split_at_mut(1 << MAX_BITS);
    let (distance_space, code_space) = rest.split_at_mut(1 << MAX_BITS);
    let mut bits = Bits {
        input,
        at: 0,
        buffer: 0,
        count: 0,
    };
    let mut written = 0usize;
    let mut last = 0;
    while last == 0 {
        last = bits.take(1);
        let kind = bits.take(2);
        let mut lengths = [0u8; 320];
        let (literal_count, distance_count) = match kind {
            0 => {
                // Stored: give back the whole bytes buffered, then copy LEN bytes.
                bits.at -= (bits.count / 8) as usize;
                bits.buffer = 0;
                bits.count = 0;
                let header = input
                    .get(bits.at..bits.at + 4)
                    .ok_or(InflateError::Malformed)?;
                let length = usize::from(u16::from_le_bytes([header[0], header[1]]));
                bits.at += 4;
                let from = input
                    .get(bits.at..bits.at + length)
                    .ok_or(InflateError::Malformed)?;
                let to = out
                    .get_mut(written..written + length)
                    .ok_or(InflateError::WrongSize)?;
                to.copy_from_slice(from);
                bits.at += length;
                written += length;
                continue;
            }
            1 => {
                lengths[..144].fill(8);
                lengths[144..256].fill(9);
                lengths[256..280].fill(7);
                lengths[280..288].fill(8);
                lengths[288..318].fill(5);
                (288, 30)
            }
            2 => {
                let literal_count = bits.take(5) as usize + 257;
                let distance_count = bits.take(5) as usize + 1;
                let code_length_count = bits.take(4) as usize + 4;
                let mut code_lengths = [0u8; 19];
                for &i in CODE_LENGTH_ORDER.iter().take(code_length_count) {
                    code_lengths[i] = bits.take(3) as u8;
                }
                let code_table = build(&code_lengths, code_space)?;
                let total = literal_count + distance_count;
                let mut i = 0;
                while i < total {
                    let symbol = bits.decode(&code_table)?;
                    let (value, repeat) = match symbol {
                        0..=15 => (symbol as u8, 1),
                        16 => {
                            let previous = *lengths
                                .get(i.wrapping_sub(1))
                                .ok_or(InflateError::Malformed)?;
                            (previous, 3 + bits.take(2) as usize)
                        }
                        17 => (0, 3 + bits.take(3) as usize),
                        _ => (0, 11 + bits.take(7) as usize),
                    };
                    lengths
                        .get_mut(i..i + repeat)
                        .ok_or(InflateError::Malformed)?
                        .fill(value);
                    i += repeat;
                }
                (literal_count, distance_count)
            }
            _ => return Err(InflateError::Malformed),
        };
        let literals = build(&lengths[..literal_count], literal_space)?;
        let distances = build(
            &lengths[literal_count..literal_count + distance_count],
            distance_space,
        )?;
        loop {
            let symbol = bits.decode(&literals)?;
            if symbol < 256 {
                *out.get_mut(written).ok_or(InflateError::WrongSize)? = symbol as u8;
                written += 1;
                continue;
            }
            if symbol == 256 {
                break;
            }
            let code = symbol - 257;
            let base = *LENGTH_BASE.get(code).ok_or(InflateError::Malformed)?;
            let length = usize::from(base) + bits.take(u32::from(LENGTH_EXTRA[code])) as usize;
            let code = bits.decode(&distances)?;
            let base = *DISTANCE_BASE.get(code).ok_or(InflateError::Malformed)?;
            let distance = usize::from(base) + bits.take(u32::from(DISTANCE_EXTRA[code])) as usize;
            if distance > written || written + length > out.len() {
                return Err(InflateError::Malformed);
            }
            if distance >= length {
                out.copy_within(written - distance..written - distance + length, written);
                written += length;
            } else {
                // Overlapping: each byte may be one this copy has just written.
                for _ in 0..length {
                    out[written] = out[written - distance];
                    written += 1;
                }
            }
        }
    }
    // Reads past the end gave zero bits; a stream that used them was cut short, whatever they spelt.
    let consumed_bits = (bits.at * 8).saturating_sub(bits.count as usize);
    if consumed_bits > input.len() * 8 {
        return Err(InflateError::Malformed);
    }
    if written == out.len() {
        Ok(())
    } else {
        Err(InflateError::WrongSize)
    }
}

/// The module's export: inflates `in_len` bytes at `input` into the `out_len` bytes at `out`,
/// with [`TABLE_WORDS`] words at `tables`. Returns 0, or 1 + the [`InflateError`]'s number.
///
/// # Safety
/// The three regions must lie in this module's memory and not overlap.
#[cfg(target_arch = "wasm32")]
#[no_mangle]
pub unsafe extern "C" fn inflate(
    input: *const u8,
    in_len: usize,
    out: *mut u8,
    out_len: usize,
    tables: *mut u32,
) -> u32 {
    // SAFETY: the caller (pkg-template/lib/inflate.js) lays the regions out apart in memory it grew.
    let (input, out, tables) = unsafe {
        (
            core::slice::from_raw_parts(input, in_len),
            core::slice::from_raw_parts_mut(out, out_len),
            core::slice::from_raw_parts_mut(tables, TABLE_WORDS),
        )
    };
    match inflate_into(input, out, tables) {
        Ok(()) => 0,
        Err(InflateError::Malformed) => 1,
        Err(InflateError::WrongSize) => 2,
        Err(InflateError::NoRoom) => 3,
    }
}

#[cfg(all(target_arch = "wasm32", not(test)))]
#[panic_handler]
fn panic(_: &core::panic::PanicInfo) -> ! {
    core::arch::wasm32::unreachable()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn inflate(input: &[u8], size: usize) -> Result<Vec<u8>, InflateError> {
        let mut out = vec![0u8; size];
        let mut tables = vec![0u32; TABLE_WORDS];
        inflate_into(input, &mut out, &mut tables).map(|()| out)
    }

    // Streams written by zlib (node:zlib deflateRawSync); tests/packaging checks many more,
    // every block type and level, through the built WebAssembly module.
    const FIXED: [u8; 10] = [203, 72, 205, 201, 201, 87, 200, 64, 39, 1];
    const FIXED_TEXT: &[u8] = b"hello hello hello hello";
    const LONGER: [u8; 57] = [
        75, 76, 42, 74, 76, 78, 76, 73, 76, 42, 74, 84, 72, 28, 1, 236, 146, 140, 84, 133, 194,
        210, 204, 228, 108, 133, 164, 162, 252, 242, 60, 133, 180, 252, 10, 133, 172, 210, 220,
        130, 98, 133, 252, 178, 212, 34, 176, 116, 78, 98, 85, 165, 66, 74, 126, 58, 0,
    ];

    #[test]
    fn inflates_what_zlib_deflated() {
        assert_eq!(inflate(&FIXED, FIXED_TEXT.len()).as_deref(), Ok(FIXED_TEXT));
        let mut text = b"abracadabra ".repeat(20);
        text.extend_from_slice(b"the quick brown fox jumps over the lazy dog");
        assert_eq!(inflate(&LONGER, text.len()), Ok(text));
    }

    #[test]
    fn refuses_the_wrong_size_and_malformed_streams() {
        assert!(inflate(&FIXED, FIXED_TEXT.len() - 1).is_err());
        assert_eq!(
            inflate(&FIXED, FIXED_TEXT.len() + 1),
            Err(InflateError::WrongSize)
        );
        assert_eq!(inflate(&[0b111], 10), Err(InflateError::Malformed));
        assert_eq!(inflate(&[], 10), Err(InflateError::Malformed));
        let mut out = [0u8; 4];
        assert_eq!(
            inflate_into(&FIXED, &mut out, &mut [0u32; 16]),
            Err(InflateError::NoRoom)
        );
    }

    #[test]
    fn every_truncation_and_bit_flip_ends_in_an_answer_or_an_error() {
        for cut in 0..LONGER.len() {
            // Bits past the end read as zeros, and may spell codes: a stream that used them is
            // refused all the same.
            let cut_short = inflate(&LONGER[..cut], 283);
            assert!(cut_short.is_err(), "cut at {cut}: {cut_short:?}");
        }
        for bit in 0..LONGER.len() * 8 {
            let mut flipped = LONGER;
            flipped[bit / 8] ^= 1 << (bit % 8);
            let _ = inflate(&flipped, 283);
        }
    }
}
