//! What a run shows: `--use-case` (which GBCS messages, by use case
//! "ECS17b", every message code of "CS02b", or message code "0x0027") and
//! `--payload` (typed values or the lossless tree).

use std::collections::BTreeSet;

use smets_core::Decode;
use smets_gbcs::catalogue;
use smets_gbcs::envelope::GbcsMessage;

/// How a GBCS payload is shown.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum PayloadView {
    /// Typed values where the use case has them, the tree otherwise.
    #[default]
    Typed,
    /// The lossless tree of the payload's family, always.
    Tree,
}

/// What a run shows.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Show {
    /// Which messages.
    pub filter: UseCaseFilter,
    /// How their payloads look.
    pub payload: PayloadView,
}

/// The message codes a run shows; empty shows everything.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct UseCaseFilter {
    codes: BTreeSet<u16>,
}

impl UseCaseFilter {
    /// From `--use-case` values: use-case names or message codes (hex with
    /// `0x`), each value possibly a comma-separated list.
    ///
    /// # Errors
    /// A message naming the value that is neither.
    pub fn parse<S: AsRef<str>>(values: &[S]) -> Result<Self, String> {
        let mut codes = BTreeSet::new();
        for part in values
            .iter()
            .flat_map(|v| v.as_ref().split(','))
            .map(str::trim)
            .filter(|p| !p.is_empty())
        {
            if let Some(hex) = part.strip_prefix("0x").or_else(|| part.strip_prefix("0X")) {
                let code = u16::from_str_radix(hex, 16)
                    .map_err(|_| format!("--use-case {part}: not a 16-bit message code"))?;
                codes.insert(code);
                continue;
            }
            let mut found = false;
            for u in catalogue::all_by_use_case(part) {
                codes.insert(u.message_code);
                found = true;
            }
            if !found {
                return Err(format!(
                    "--use-case {part}: no such use case in the GBCS catalogue (e.g. ECS17b, or a message code such as 0x0027)"
                ));
            }
        }
        Ok(Self { codes })
    }

    /// Whether the filter lets everything through.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.codes.is_empty()
    }

    /// Whether a message with `code` is shown.
    #[must_use]
    pub fn allows_code(&self, code: u16) -> bool {
        self.codes.is_empty() || self.codes.contains(&code)
    }

    /// Whether the GBCS message `bytes` is shown: a message whose header
    /// does not decode is shown only when the filter is empty.
    #[must_use]
    pub fn allows_message(&self, bytes: &[u8]) -> bool {
        self.is_empty() || message_code(bytes).is_some_and(|c| self.codes.contains(&c))
    }
}

/// The message code of a GBCS message or GBT block, when its header decodes.
#[must_use]
pub fn message_code(bytes: &[u8]) -> Option<u16> {
    match GbcsMessage::decode(bytes).ok()? {
        GbcsMessage::MacHeader(m) => Some(m.signing.header.other_information.message_code),
        GbcsMessage::Signed(s) => Some(s.header.other_information.message_code),
        GbcsMessage::Block(b) => Some(b.other_information.message_code),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_codes() {
        let f = UseCaseFilter::parse(&["ECS17b", "0x00cc,GCS13a"]).unwrap();
        assert!(f.allows_code(0x0027) && f.allows_code(0x00CC) && f.allows_code(0x0074));
        assert!(!f.allows_code(0x0059));
        // CS02b has ten message codes.
        let f = UseCaseFilter::parse(&["CS02b"]).unwrap();
        assert!((0x0100..=0x0109).all(|c| f.allows_code(c)));
        assert!(UseCaseFilter::parse(&["ECS999"]).is_err());
        assert!(UseCaseFilter::parse(&["0x10000"]).is_err());
        let all = UseCaseFilter::parse::<&str>(&[]).unwrap();
        assert!(all.is_empty() && all.allows_code(7) && all.allows_message(b"junk"));
        assert!(!f.allows_message(b"junk"));
    }
}
