//! Price 0x0700 in the catalogue (ZigBee SE 1.4 10.2).

use super::Cluster;

/// The Price cluster.
pub static CLUSTER: Cluster = Cluster {
    id: 0x0700,
    name: "Price",
    label: "price",
    clause: "ZigBee SE 1.4 10.2",
    attributes: &[],
    client_attributes: &[],
    received: &[],
    generated: &[],
};
