//! Metering 0x0702 in the catalogue (ZigBee SE 1.4 10.4).

use super::Cluster;

/// The Metering cluster.
pub static CLUSTER: Cluster = Cluster {
    id: 0x0702,
    name: "Metering",
    label: "metering",
    clause: "ZigBee SE 1.4 10.4",
    attributes: &[],
    client_attributes: &[],
    received: &[],
    generated: &[],
};

/// The formatting attribute set as learned from a device's attributes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Formatting {
    /// UnitofMeasure.
    pub unit_of_measure: Option<u8>,
}

impl Formatting {
    /// Takes note of a formatting attribute; true when it was one.
    pub fn learn(&mut self, attribute_id: u16, value: &crate::zcl::ZclValue<'_>) -> bool {
        let _ = (attribute_id, value);
        false
    }
}

/// A scaled value.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Scaled {
    value: f64,
}

impl Scaled {
    /// As a float.
    #[must_use]
    pub fn to_f64(&self) -> f64 {
        self.value
    }
    /// The unit.
    #[must_use]
    pub fn unit(&self) -> &'static str {
        ""
    }
}

impl core::fmt::Display for Scaled {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "{}", self.value)
    }
}

impl Formatting {
    /// Scales.
    #[must_use]
    pub fn scale(
        &self,
        quantity: super::Quantity,
        value: &crate::zcl::ZclValue<'_>,
    ) -> Option<Scaled> {
        let _ = (quantity, value);
        None
    }
}
