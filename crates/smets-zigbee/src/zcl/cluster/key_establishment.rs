//! Key Establishment 0x0800 in the catalogue (ZigBee SE 1.4 C.3).

use super::Cluster;

/// The Key Establishment cluster.
pub static CLUSTER: Cluster = Cluster {
    id: 0x0800,
    name: "Key Establishment",
    label: "key_establishment",
    clause: "ZigBee SE 1.4 C.3",
    attributes: &[],
    client_attributes: &[],
    received: &[],
    generated: &[],
};
