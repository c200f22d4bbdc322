//! Basic 0x0000 in the catalogue (ZCL rev. 8 3.2).

use super::Cluster;

/// The Basic cluster.
pub static CLUSTER: Cluster = Cluster {
    id: 0x0000,
    name: "Basic",
    label: "basic",
    clause: "ZCL rev. 8 3.2",
    attributes: &[],
    client_attributes: &[],
    received: &[],
    generated: &[],
};
