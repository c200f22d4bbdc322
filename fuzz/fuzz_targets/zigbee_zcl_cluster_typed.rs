#![no_main]
//! The typed decoders beside the cluster tables, picked by the first byte:
//! Key Establishment certificates and ephemeral keys, OTA image files and
//! block commands, Device Management event configuration targets, Price
//! block threshold sets, the Prepayment debt/credit snapshot, and GBCS
//! General Block Transfer blocks. Whatever decodes encodes to bytes that
//! decode to the same value; sub-element and set iterators end.

use libfuzzer_sys::fuzz_target;
use smets_core::{Decode, Encode};
use smets_zigbee::zcl::cluster::device_management::EventConfigurationTarget;
use smets_zigbee::zcl::cluster::key_establishment::{EphemeralKey, ImplicitCertificate};
use smets_zigbee::zcl::cluster::ota::{ImageBlockRequest, ImageBlockResponse, OtaImage};
use smets_zigbee::zcl::cluster::prepayment::DebtCreditStatus;
use smets_zigbee::zcl::cluster::price::BlockThresholdSets;
use smets_zigbee::zcl::tunneling::gbt::GbtBlock;

/// `decode(encode(x)) == x` for a decoded `x`.
macro_rules! again {
    ($ty:ty, $x:expr) => {{
        let x = $x;
        let bytes = x.to_vec().expect("a decoded value encodes");
        assert_eq!(<$ty>::decode(&bytes).expect("its encoding decodes"), x);
    }};
}

fuzz_target!(|data: &[u8]| {
    let Some((&pick, rest)) = data.split_first() else {
        return;
    };
    match pick % 9 {
        0 => {
            if let Ok(c) = ImplicitCertificate::decode(rest) {
                again!(ImplicitCertificate<'_>, c);
            }
        }
        1 => {
            if let Ok(k) = EphemeralKey::decode(rest) {
                again!(EphemeralKey<'_>, k);
            }
        }
        2 => {
            if let Ok(image) = OtaImage::decode(rest) {
                let _ = image.sub_elements().count();
                again!(OtaImage<'_>, image);
            }
        }
        3 => {
            if let Ok(r) = ImageBlockRequest::decode(rest) {
                again!(ImageBlockRequest, r);
            }
        }
        4 => {
            if let Ok(r) = ImageBlockResponse::decode(rest) {
                again!(ImageBlockResponse<'_>, r);
            }
        }
        5 => {
            let Some((&control, payload)) = rest.split_first() else {
                return;
            };
            if let Ok(t) = EventConfigurationTarget::decode(control, payload) {
                let bytes = t.to_vec().expect("a decoded target encodes");
                assert_eq!(
                    EventConfigurationTarget::decode(control, &bytes).expect("decodes"),
                    t
                );
            }
        }
        6 => {
            if let Ok(sets) = BlockThresholdSets::new(rest) {
                let _ = sets.count();
            }
        }
        7 => {
            if let Ok(s) = DebtCreditStatus::parse(rest) {
                assert_eq!(DebtCreditStatus::parse(&s.to_bytes()).expect("decodes"), s);
            }
        }
        _ => {
            if let Ok(b) = GbtBlock::decode(rest) {
                again!(GbtBlock<'_>, b);
            }
        }
    }
});
