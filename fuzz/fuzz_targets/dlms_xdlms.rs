#![no_main]
//! `smets_dlms::apdu::Apdu`: any bytes decode or fail with an offset inside
//! the input; what decodes re-encodes to a form that decodes to the same
//! APDU and re-encodes to itself, never longer than the input; every
//! compact-array in its data unpacks or fails without a panic, and what
//! unpacks iterates to its announced length.

use libfuzzer_sys::fuzz_target;
use smets_core::{Decode, Encode};
use smets_dlms::apdu::Apdu;
use smets_dlms::axdr::{Data, Elements};
use smets_dlms::xdlms::{GetDataResult, GetResponse, SetRequest};

/// Unpacks every compact-array reachable from `list`.
fn unpack(list: Elements<'_>) {
    for d in list {
        match d {
            Data::Array(e) | Data::Structure(e) => unpack(e),
            Data::CompactArray(c) => {
                if let Ok(elements) = c.elements() {
                    let n = elements.len();
                    assert_eq!(elements.count(), n);
                    unpack(c.elements().expect("unpacks twice"));
                }
            }
            _ => {}
        }
    }
}

fn unpack_one(d: Data<'_>) {
    unpack(Elements::from_items(&[d]));
}

fuzz_target!(|data: &[u8]| {
    let apdu = match Apdu::decode(data) {
        Err(e) => {
            assert!(e.offset <= data.len(), "offset {} past {}", e.offset, data.len());
            return;
        }
        Ok(a) => a,
    };
    assert_eq!(apdu.tag(), data[0]);
    let bytes = apdu.to_vec().expect("a decoded APDU encodes");
    assert_eq!(bytes.len(), apdu.encoded_len());
    assert!(bytes.len() <= data.len(), "the canonical form is never longer");
    let again = Apdu::decode(&bytes).expect("the canonical form decodes");
    assert_eq!(again, apdu);
    assert_eq!(again.to_vec().expect("encodes"), bytes);
    match apdu {
        Apdu::AccessRequest(a) => unpack(a.data),
        Apdu::AccessResponse(a) => unpack(a.data),
        Apdu::DataNotification(n) => unpack_one(n.body),
        Apdu::GetResponse(GetResponse::Normal {
            result: GetDataResult::Data(d),
            ..
        })
        | Apdu::SetRequest(SetRequest::Normal { value: d, .. }) => unpack_one(d),
        Apdu::GetResponse(GetResponse::WithList { results, .. }) => {
            for r in results {
                if let GetDataResult::Data(d) = r {
                    unpack_one(d);
                }
            }
        }
        _ => {}
    }
});
