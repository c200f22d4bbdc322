//! The text forms keys come in: PEM blocks (RFC 7468) found anywhere in a
//! file, and hex with white space or `:` between digits. Decoded secret
//! bytes go straight into wiped buffers; nothing here interprets DER.

use alloc::vec;
use alloc::vec::Vec;

use zeroize::Zeroizing;

use super::KeyError;

const BEGIN: &[u8] = b"-----BEGIN ";
const END: &[u8] = b"-----END ";
const DASHES: &[u8] = b"-----";

/// How a loader's input is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Form {
    /// One or more PEM blocks, maybe with text around them.
    Pem,
    /// Hex digits, maybe separated by white space or `:`.
    Hex,
    /// Anything else is taken as DER.
    Der,
}

/// Tells PEM, hex and DER apart. DER of a key or certificate starts with a
/// SEQUENCE tag and a length byte that is never a hex digit (`30 81`,
/// `30 82`, `30 59`, `30 77`), so hex text and DER cannot be confused.
pub(super) fn form(input: &[u8]) -> Form {
    if find(input, BEGIN, 0).is_some() {
        Form::Pem
    } else if input.iter().any(u8::is_ascii_hexdigit)
        && input
            .iter()
            .all(|b| b.is_ascii_hexdigit() || b.is_ascii_whitespace() || *b == b':')
    {
        Form::Hex
    } else {
        Form::Der
    }
}

fn find(hay: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    hay.get(from..)?
        .windows(needle.len())
        .position(|w| w == needle)
        .map(|p| p + from)
}

/// The first PEM block of `text` whose label is one of `labels`: its label
/// and the block from `-----BEGIN` through the end of its `-----END` line.
/// Blocks with other labels (an "EC PARAMETERS" block before an "EC PRIVATE
/// KEY", say) are skipped.
pub(super) fn pem_block<'a>(
    text: &'a [u8],
    labels: &[&'static str],
) -> Result<(&'static str, &'a [u8]), KeyError> {
    let mut pos = 0;
    let mut seen = false;
    while let Some(start) = find(text, BEGIN, pos) {
        let label_start = start + BEGIN.len();
        let label_len = find(text, DASHES, label_start).ok_or(KeyError::Pem)? - label_start;
        let label = text
            .get(label_start..label_start + label_len)
            .ok_or(KeyError::Pem)?;
        // The END line must repeat the label (RFC 7468 2).
        let mut end_at = None;
        let mut search = label_start + label_len;
        while let Some(e) = find(text, END, search) {
            let after = e + END.len();
            if text.get(after..after + label_len) == Some(label)
                && text.get(after + label_len..after + label_len + DASHES.len()) == Some(DASHES)
            {
                end_at = Some(after + label_len + DASHES.len());
                break;
            }
            search = after;
        }
        let end = end_at.ok_or(KeyError::Pem)?;
        seen = true;
        if let Some(l) = labels.iter().find(|l| l.as_bytes() == label) {
            return Ok((l, text.get(start..end).ok_or(KeyError::Pem)?));
        }
        pos = end;
    }
    Err(if seen {
        KeyError::PemLabel
    } else {
        KeyError::Pem
    })
}

/// The DER inside one PEM block, in a buffer wiped when dropped. The buffer
/// is sized once so that no partial copy is left behind by a reallocation.
pub(super) fn pem_decode(block: &[u8]) -> Result<Zeroizing<Vec<u8>>, KeyError> {
    let mut decoder = der::pem::Decoder::new_detect_wrap(block).map_err(|_| KeyError::Pem)?;
    let mut buf = Zeroizing::new(vec![0u8; decoder.remaining_len()]);
    let n = decoder.decode(&mut buf).map_err(|_| KeyError::Pem)?.len();
    if !decoder.is_finished() {
        return Err(KeyError::Pem);
    }
    buf.truncate(n);
    Ok(buf)
}

/// Decodes hex text into `out`; returns how many bytes it held. More bytes
/// than `out` holds is a [`KeyError::Length`] error with `expected` the
/// size of `out`.
pub(super) fn hex_decode(text: &[u8], out: &mut [u8]) -> Result<usize, KeyError> {
    let mut digits = 0usize;
    let mut high = 0u8;
    for (offset, &c) in text.iter().enumerate() {
        let nibble = match c {
            b'0'..=b'9' => c - b'0',
            b'a'..=b'f' => c - b'a' + 10,
            b'A'..=b'F' => c - b'A' + 10,
            b':' => continue,
            _ if c.is_ascii_whitespace() => continue,
            _ => return Err(KeyError::Hex { offset }),
        };
        if digits.is_multiple_of(2) {
            high = nibble;
        } else if let Some(slot) = out.get_mut(digits / 2) {
            *slot = (high << 4) | nibble;
        }
        digits += 1;
    }
    if !digits.is_multiple_of(2) {
        return Err(KeyError::Hex { offset: text.len() });
    }
    if digits / 2 > out.len() {
        return Err(KeyError::Length {
            expected: out.len(),
            actual: digits / 2,
        });
    }
    Ok(digits / 2)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]
    use super::*;

    #[test]
    fn forms_are_told_apart() {
        assert_eq!(form(b"-----BEGIN X-----\n-----END X-----\n"), Form::Pem);
        assert_eq!(form(b"04:ab cd\n"), Form::Hex);
        assert_eq!(form(&[0x30, 0x59, 0x30, 0x13]), Form::Der);
        assert_eq!(form(&[0x30, 0x77, 0x02, 0x01]), Form::Der);
        assert_eq!(form(b"  \n"), Form::Der);
        assert_eq!(form(b""), Form::Der);
    }

    #[test]
    fn hex_with_separators() {
        let mut out = [0u8; 4];
        assert_eq!(hex_decode(b"de:AD be\nef", &mut out), Ok(4));
        assert_eq!(out, [0xde, 0xad, 0xbe, 0xef]);
        assert_eq!(
            hex_decode(b"dea", &mut out),
            Err(KeyError::Hex { offset: 3 })
        );
        assert_eq!(
            hex_decode(b"de-a", &mut out),
            Err(KeyError::Hex { offset: 2 })
        );
        assert_eq!(
            hex_decode(b"0011223344", &mut out),
            Err(KeyError::Length {
                expected: 4,
                actual: 5
            })
        );
        assert_eq!(hex_decode(b"0011", &mut out), Ok(2));
    }

    #[test]
    fn pem_blocks_are_found_by_label() {
        let text = b"Bag Attributes\n-----BEGIN EC PARAMETERS-----\nBggqhkjOPQMBBw==\n-----END EC PARAMETERS-----\n-----BEGIN EC PRIVATE KEY-----\nAAEC\n-----END EC PRIVATE KEY-----\n";
        let (label, block) = pem_block(text, &["EC PRIVATE KEY"]).unwrap();
        assert_eq!(label, "EC PRIVATE KEY");
        assert!(block.starts_with(b"-----BEGIN EC PRIVATE KEY-----"));
        assert!(block.ends_with(b"-----END EC PRIVATE KEY-----"));
        assert_eq!(&pem_decode(block).unwrap()[..], &[0, 1, 2]);
        let (_, params) = pem_block(text, &["EC PARAMETERS"]).unwrap();
        assert_eq!(
            &pem_decode(params).unwrap()[..],
            &[0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07]
        );
        assert_eq!(pem_block(text, &["PRIVATE KEY"]), Err(KeyError::PemLabel));
        assert_eq!(
            pem_block(b"-----BEGIN X-----\nAAEC\n", &["X"]),
            Err(KeyError::Pem)
        );
        assert_eq!(
            pem_block(b"-----BEGIN X-----\nAAEC\n-----END Y-----\n", &["X"]),
            Err(KeyError::Pem)
        );
        assert_eq!(pem_block(b"no armour", &["X"]), Err(KeyError::Pem));
        let bad = b"-----BEGIN X-----\nA!EC\n-----END X-----\n";
        assert_eq!(
            pem_decode(pem_block(bad, &["X"]).unwrap().1),
            Err(KeyError::Pem)
        );
    }
}
