//! The parser: JSON text read into a flat list of tokens that borrow from it.
//!
//! A [`Tape`] is what [`parse`](super::parse) builds a [`Value`] from, and what a reader that only
//! looks a few members up (a webhook body, read for its events) walks instead: one allocation for
//! the whole text, strings left where they are and unescaped only when read. Its [`Node`]s are
//! the values, found in place.
//!
//! ```
//! use sendexa_whatsapp::engine::json::Tape;
//!
//! let tape = Tape::parse(r#"{"to":"233244000000","tags":["a","b\u0021"]}"#).unwrap();
//! let root = tape.root();
//! assert_eq!(root.get("to").and_then(|to| to.as_str()).as_deref(), Some("233244000000"));
//! let tags = root.get("tags").unwrap();
//! assert_eq!(tags.index(1).and_then(|t| t.as_str()).as_deref(), Some("b!"));
//! assert_eq!(root.to_value().to_json(), r#"{"to":"233244000000","tags":["a","b!"]}"#);
//! ```

use std::borrow::Cow;

use super::{err, plain_run, scan_number, JsonError, Number, Value, MAX_DEPTH};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Null,
    True,
    False,
    Number,
    /// A string with no escapes: its text is the string.
    Plain,
    /// A string with at least one escape, decoded when read.
    Escaped,
    Array,
    Object,
}

/// One value. Numbers and strings: `start..end` is the text (a string's between its quotes).
/// Containers: `end` is the index of the token after the container's last one, so a reader steps
/// over a whole container at once. An object's tokens alternate key, value.
#[derive(Debug, Clone, Copy)]
struct Token {
    kind: Kind,
    start: usize,
    end: usize,
    /// A plain string's [`tag`]: a key lookup compares it before any bytes.
    tag: u32,
}

/// The length, first byte and last byte of a string, packed: two keys with different tags differ.
#[inline(always)]
fn tag(bytes: &[u8]) -> u32 {
    let edge = |b: Option<&u8>| u32::from(b.copied().unwrap_or(0));
    (bytes.len() as u32) << 16 | edge(bytes.first()) << 8 | edge(bytes.last())
}

/// A JSON text, checked by the rules of [`parse`](super::parse), as tokens borrowing from it.
#[derive(Debug)]
pub struct Tape<'a> {
    src: &'a str,
    tokens: Vec<Token>,
}

impl<'a> Tape<'a> {
    /// Reads `input` by the rules of [`parse`](super::parse), with the same errors.
    pub fn parse(input: &'a str) -> Result<Tape<'a>, JsonError> {
        let mut p = Parser {
            bytes: input.as_bytes(),
            pos: 0,
            // About one token per 16 bytes of a webhook or message (long texts hold fewer): room
            // enough that the list rarely grows.
            tokens: Vec::with_capacity((input.len() >> 4).saturating_add(8)),
        };
        p.document()?;
        Ok(Tape {
            src: input,
            tokens: p.tokens,
        })
    }

    /// The document's top value.
    pub fn root(&self) -> Node<'_> {
        Node {
            src: self.src,
            tokens: &self.tokens,
            at: 0,
        }
    }
}

/// A value in a [`Tape`], read in place.
#[derive(Debug, Clone, Copy)]
pub struct Node<'t> {
    src: &'t str,
    tokens: &'t [Token],
    at: usize,
}

impl<'t> Node<'t> {
    fn kind(&self) -> Option<Kind> {
        self.tokens.get(self.at).map(|t| t.kind)
    }

    fn text(&self) -> &'t str {
        let src = self.src;
        self.tokens
            .get(self.at)
            .and_then(|t| src.get(t.start..t.end))
            .unwrap_or_default()
    }

    fn node(&self, at: usize) -> Node<'t> {
        Node { at, ..*self }
    }

    /// The index of the token after the value at `at` and everything in it.
    #[inline(always)]
    fn after(&self, at: usize) -> usize {
        match self.tokens.get(at) {
            Some(t) if matches!(t.kind, Kind::Array | Kind::Object) => t.end,
            _ => at.saturating_add(1),
        }
    }

    /// The values directly inside this container if it is one of `kind` (an object's keys and
    /// values alternating); none otherwise.
    fn children(&self, kind: Kind) -> Children<'t> {
        let end = match self.tokens.get(self.at) {
            Some(t) if t.kind == kind => t.end,
            _ => 0,
        };
        Children {
            node: *self,
            at: self.at.saturating_add(1),
            end,
        }
    }

    /// Whether this is `null`.
    pub fn is_null(&self) -> bool {
        self.kind() == Some(Kind::Null)
    }

    /// Whether this is an object.
    pub fn is_object(&self) -> bool {
        self.kind() == Some(Kind::Object)
    }

    /// Whether this is an array.
    pub fn is_array(&self) -> bool {
        self.kind() == Some(Kind::Array)
    }

    /// Whether this is a string.
    pub fn is_string(&self) -> bool {
        matches!(self.kind(), Some(Kind::Plain | Kind::Escaped))
    }

    /// The members of an object as (key, value) pairs, in order, repeats included; none for
    /// other values.
    pub fn members(&self) -> impl Iterator<Item = (Node<'t>, Node<'t>)> + 't {
        let mut children = self.children(Kind::Object);
        std::iter::from_fn(move || Some((children.next()?, children.next()?)))
    }

    /// The member `key` of an object (of a repeated key, the last, as `JSON.parse` keeps it).
    pub fn get(&self, key: &str) -> Option<Node<'t>> {
        // One plain loop over the tokens: this is the hot path of reading a webhook (a payload's
        // members are looked up some thirty times), and the size-optimised build inlines little.
        let tokens = self.tokens;
        let src = self.src.as_bytes();
        let want = key.as_bytes();
        let want_tag = tag(want);
        let end = match tokens.get(self.at) {
            Some(t) if t.kind == Kind::Object => t.end,
            _ => return None,
        };
        let mut found = None;
        let mut at = self.at.saturating_add(1);
        while let Some(k) = tokens.get(at).filter(|_| at < end) {
            let value = at.saturating_add(1);
            let same = match k.kind {
                // The tag first: most keys differ in it.
                Kind::Plain => k.tag == want_tag && src.get(k.start..k.end) == Some(want),
                _ => self.node(at).str_is(key),
            };
            if same {
                found = Some(value);
            }
            at = self.after(value);
        }
        found.map(|at| self.node(at))
    }

    /// The elements of an array, in order; none for other values.
    pub fn items(&self) -> impl Iterator<Item = Node<'t>> + 't {
        self.children(Kind::Array)
    }

    /// Element `index` of an array.
    pub fn index(&self, index: usize) -> Option<Node<'t>> {
        self.items().nth(index)
    }

    /// The string, if this is one: borrowed from the text unless it has escapes.
    pub fn as_str(&self) -> Option<Cow<'t, str>> {
        match self.kind()? {
            Kind::Plain => Some(Cow::Borrowed(self.text())),
            Kind::Escaped => Some(Cow::Owned(unescape(self.text()))),
            _ => None,
        }
    }

    /// Whether this is the string `s`.
    fn str_is(&self, s: &str) -> bool {
        let Some(t) = self.tokens.get(self.at) else {
            return false;
        };
        match t.kind {
            Kind::Plain => self.src.as_bytes().get(t.start..t.end) == Some(s.as_bytes()),
            Kind::Escaped => unescape(self.text()) == s,
            _ => false,
        }
    }

    /// The number's text as written, if this is a number.
    pub fn number_text(&self) -> Option<&'t str> {
        (self.kind()? == Kind::Number).then(|| self.text())
    }

    /// The value as a [`Value`] tree. Recurses once per nesting level: at most [`MAX_DEPTH`].
    pub fn to_value(&self) -> Value {
        match self.kind() {
            None | Some(Kind::Null) => Value::Null,
            Some(Kind::True) => Value::Bool(true),
            Some(Kind::False) => Value::Bool(false),
            Some(Kind::Number) => Value::Number(Number(self.text().to_string())),
            Some(Kind::Plain | Kind::Escaped) => {
                Value::String(self.as_str().unwrap_or_default().into_owned())
            }
            Some(Kind::Array) => {
                let mut items = Vec::new();
                for item in self.children(Kind::Array) {
                    items.push(item.to_value());
                }
                Value::Array(items)
            }
            Some(Kind::Object) => {
                let mut members: Vec<(String, Value)> = Vec::new();
                let mut children = self.children(Kind::Object);
                while let (Some(key), Some(value)) = (children.next(), children.next()) {
                    let key = key.as_str().unwrap_or_default();
                    let value = value.to_value();
                    // JSON.parse's rule for a repeated key: first position, last value. Linear:
                    // objects in messages and webhooks are small, and a hostile one costs O(n²)
                    // compares of short strings, bounded by the input size the caller accepted.
                    match members.iter_mut().find(|(k, _)| *k == key) {
                        Some(slot) => slot.1 = value,
                        None => members.push((key.into_owned(), value)),
                    }
                }
                Value::Object(members)
            }
        }
    }
}

/// The values directly inside a container, in order: one plain loop, where iterator adapters would
/// not be inlined in the size-optimised .wasm.
struct Children<'t> {
    node: Node<'t>,
    at: usize,
    end: usize,
}

impl<'t> Iterator for Children<'t> {
    type Item = Node<'t>;

    #[inline]
    fn next(&mut self) -> Option<Node<'t>> {
        let at = self.at;
        if at >= self.end {
            return None;
        }
        self.at = self.node.after(at);
        Some(self.node.node(at))
    }
}

/// The string a checked string's text (between its quotes) stands for.
fn unescape(text: &str) -> String {
    let mut p = Parser {
        bytes: text.as_bytes(),
        pos: 0,
        tokens: Vec::new(),
    };
    let mut out = String::with_capacity(text.len());
    loop {
        let start = p.pos;
        p.advance(plain_run(p.bytes.get(p.pos..).unwrap_or_default()));
        // Both ends sit next to ASCII bytes (or the end), so they are character boundaries.
        out.push_str(text.get(start..p.pos).unwrap_or_default());
        match p.next() {
            None => return out,
            // The tape checked every escape, so this never fails; if it did, the rest is dropped
            // rather than guessed.
            Some(b'\\') => match p.escape() {
                Ok(c) => out.push(c),
                Err(_) => return out,
            },
            Some(b) => out.push(char::from(b)),
        }
    }
}

struct Parser<'a> {
    bytes: &'a [u8],
    pos: usize,
    tokens: Vec<Token>,
}

impl Parser<'_> {
    // Called per byte: inlined even where the build optimises for size.
    #[inline(always)]
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    #[inline(always)]
    fn next(&mut self) -> Option<u8> {
        let b = self.peek()?;
        self.advance(1);
        Some(b)
    }

    /// Moves past `n` bytes just looked at, so `pos + n <= bytes.len()` and it never saturates.
    #[inline(always)]
    fn advance(&mut self, n: usize) {
        self.pos = self.pos.saturating_add(n);
    }

    fn skip_ws(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.peek() {
            self.advance(1);
        }
    }

    fn push(&mut self, kind: Kind, start: usize, end: usize) {
        let tag = match kind {
            Kind::Plain => tag(self.bytes.get(start..end).unwrap_or_default()),
            _ => 0,
        };
        self.tokens.push(Token {
            kind,
            start,
            end,
            tag,
        });
    }

    /// The whole text: one value, whitespace around it. Iterative: `open` holds the containers
    /// being read, so hostile nesting costs a bounded stack.
    fn document(&mut self) -> Result<(), JsonError> {
        let mut open: Vec<usize> = Vec::new();
        self.skip_ws();
        loop {
            // A value; after opening a non-empty container, go round again for its first element.
            if self.value_or_open(&mut open)? {
                continue;
            }
            // Close the containers that end here; stop when another element follows.
            loop {
                self.skip_ws();
                let Some(&container) = open.last() else {
                    if self.pos != self.bytes.len() {
                        return err("unexpected text after the JSON value", self.pos);
                    }
                    return Ok(());
                };
                let object = self.tokens.get(container).map(|t| t.kind) == Some(Kind::Object);
                let (close, expected) = if object {
                    (b'}', "expected ',' or '}'")
                } else {
                    (b']', "expected ',' or ']'")
                };
                match self.next() {
                    Some(b',') => {
                        self.skip_ws();
                        if object {
                            self.key()?;
                        }
                        break;
                    }
                    Some(b) if b == close => {
                        let end = self.tokens.len();
                        if let Some(t) = self.tokens.get_mut(container) {
                            t.end = end;
                        }
                        open.pop();
                    }
                    _ => return err(expected, self.pos.saturating_sub(1)),
                }
            }
        }
    }

    /// A scalar or an empty container (`false`), or a container opened onto `open` (`true`; for
    /// an object, its first key read).
    fn value_or_open(&mut self, open: &mut Vec<usize>) -> Result<bool, JsonError> {
        let (kind, close) = match self.peek() {
            Some(b'{') => (Kind::Object, b'}'),
            Some(b'[') => (Kind::Array, b']'),
            _ => return self.scalar().map(|()| false),
        };
        if open.len() >= MAX_DEPTH {
            return err("nesting deeper than 64 levels", self.pos);
        }
        let at = self.tokens.len();
        self.push(kind, self.pos, at.saturating_add(1));
        self.advance(1);
        self.skip_ws();
        if self.peek() == Some(close) {
            self.advance(1);
            return Ok(false);
        }
        open.push(at);
        if kind == Kind::Object {
            self.key()?;
        }
        Ok(true)
    }

    /// `"key"` then `:` (the caller has skipped whitespace before the key).
    fn key(&mut self) -> Result<(), JsonError> {
        if self.peek() != Some(b'"') {
            return err("expected a string key", self.pos);
        }
        self.string()?;
        self.skip_ws();
        if self.next() != Some(b':') {
            return err("expected ':'", self.pos.saturating_sub(1));
        }
        self.skip_ws();
        Ok(())
    }

    fn literal(&mut self, word: &'static [u8], kind: Kind) -> Result<(), JsonError> {
        if self
            .bytes
            .get(self.pos..)
            .is_some_and(|rest| rest.starts_with(word))
        {
            self.push(kind, self.pos, self.pos);
            self.advance(word.len());
            Ok(())
        } else {
            err("unexpected character", self.pos)
        }
    }

    fn scalar(&mut self) -> Result<(), JsonError> {
        match self.peek() {
            Some(b'"') => self.string(),
            Some(b't') => self.literal(b"true", Kind::True),
            Some(b'f') => self.literal(b"false", Kind::False),
            Some(b'n') => self.literal(b"null", Kind::Null),
            Some(b'-' | b'0'..=b'9') => {
                let start = self.pos;
                self.pos = scan_number(self.bytes, start)?;
                self.push(Kind::Number, start, self.pos);
                Ok(())
            }
            None => err("unexpected end of input", self.pos),
            Some(_) => err("unexpected character", self.pos),
        }
    }

    /// A string starting at the opening quote, checked (escapes included) but not copied.
    fn string(&mut self) -> Result<(), JsonError> {
        self.advance(1);
        let start = self.pos;
        let mut kind = Kind::Plain;
        loop {
            // Skip to the next byte that ends the run: a plain scan, not a step per byte.
            self.advance(plain_run(self.bytes.get(self.pos..).unwrap_or_default()));
            match self.peek() {
                None => return err("unterminated string", self.pos),
                Some(b'"') => {
                    self.push(kind, start, self.pos);
                    self.advance(1);
                    return Ok(());
                }
                Some(b'\\') => {
                    self.advance(1);
                    self.escape()?;
                    kind = Kind::Escaped;
                }
                Some(0x00..=0x1f) => return err("control character in string", self.pos),
                Some(_) => self.advance(1),
            }
        }
    }

    /// The character an escape stands for (the backslash just read).
    fn escape(&mut self) -> Result<char, JsonError> {
        let at = self.pos;
        let c = match self.next() {
            Some(b'"') => '"',
            Some(b'\\') => '\\',
            Some(b'/') => '/',
            Some(b'b') => '\u{8}',
            Some(b'f') => '\u{c}',
            Some(b'n') => '\n',
            Some(b'r') => '\r',
            Some(b't') => '\t',
            Some(b'u') => {
                let unit = self.hex4()?;
                match unit {
                    0xD800..=0xDBFF => {
                        if !self
                            .bytes
                            .get(self.pos..)
                            .is_some_and(|rest| rest.starts_with(b"\\u"))
                        {
                            return err("lone surrogate in \\u escape", at);
                        }
                        self.advance(2);
                        let low = self.hex4()?;
                        if !(0xDC00..=0xDFFF).contains(&low) {
                            return err("lone surrogate in \\u escape", at);
                        }
                        // 10 bits from each half, above the Basic Multilingual Plane.
                        let bits = u32::from(unit & 0x3ff) << 10 | u32::from(low & 0x3ff);
                        match bits.checked_add(0x10000).and_then(char::from_u32) {
                            Some(c) => c,
                            None => return err("invalid \\u escape", at),
                        }
                    }
                    0xDC00..=0xDFFF => return err("lone surrogate in \\u escape", at),
                    _ => match char::from_u32(u32::from(unit)) {
                        Some(c) => c,
                        None => return err("invalid \\u escape", at),
                    },
                }
            }
            _ => return err("invalid escape", at),
        };
        Ok(c)
    }

    fn hex4(&mut self) -> Result<u16, JsonError> {
        let mut v: u16 = 0;
        for _ in 0..4 {
            let d = match self.next().and_then(|b| char::from(b).to_digit(16)) {
                Some(d) => d as u16,
                None => {
                    return err(
                        "expected 4 hex digits in \\u escape",
                        self.pos.saturating_sub(1),
                    )
                }
            };
            v = (v << 4) | d;
        }
        Ok(v)
    }
}
