use smets_core::Decode;
use smets_zigbee::aps::ApsFrame;
use smets_zigbee::mac::{FcsMode, MacFrame};
use smets_zigbee::nwk::NwkFrame;
fn main() {
    let mut f = vec![0x61, 0x88, 0x2a, 0x1d, 0x4b, 0x00, 0x00, 0x34, 0x12, 0x08, 0x00, 0x00, 0x00, 0x34, 0x12, 0x1e, 0x05,0x40, 0x01, 0x02, 0x07, 0x09, 0x01, 0x01, 0x22,0x18, 0x05, 0x0a, 0x00, 0x00, 0x25, 0x39, 0x30, 0x00, 0x00, 0x00, 0x00];
    let c = smets_core::crc::crc16_kermit(&f); f.extend_from_slice(&c.to_le_bytes());
    let n: usize = std::env::args().nth(1).unwrap().parse().unwrap();
    let mut acc = 0u64;
    for _ in 0..n {
        let mac = MacFrame::decode(std::hint::black_box(&f), FcsMode::Present).unwrap();
        let nwk = NwkFrame::decode(mac.payload).unwrap();
        let aps = ApsFrame::decode(nwk.payload).unwrap();
        acc += u64::from(aps.cluster.unwrap());
    }
    println!("{acc}");
}
