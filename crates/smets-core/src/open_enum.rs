//! Open enumerations for code points (STYLE rule 3).

/// Declares an enum over an integer code point that keeps values it does not
/// name in an `Unknown` arm, so that decoding then encoding keeps the bytes.
///
/// Each named variant carries its wire value and a snake_case label used in
/// JSON output. Build values with `From<int>`: it maps named values to their
/// variant, so `Unknown` only ever holds values without a name.
///
/// ```
/// smets_core::open_enum! {
///     /// NWK frame type.
///     pub enum FrameType: u8 {
///         /// Data frame.
///         Data = 0 => "data",
///         /// Command frame.
///         Command = 1 => "command",
///     }
/// }
/// assert_eq!(FrameType::from(1), FrameType::Command);
/// assert_eq!(FrameType::from(2), FrameType::Unknown(2));
/// assert_eq!(u8::from(FrameType::Unknown(2)), 2);
/// assert_eq!(FrameType::Data.label(), Some("data"));
/// ```
#[macro_export]
macro_rules! open_enum {
    (
        $(#[$meta:meta])*
        $vis:vis enum $name:ident : $ty:ty {
            $( $(#[$vmeta:meta])* $variant:ident = $value:expr => $label:literal ),* $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        $vis enum $name {
            $( $(#[$vmeta])* $variant, )*
            /// A value this library does not name; kept so that it re-encodes.
            Unknown($ty),
        }

        impl ::core::convert::From<$ty> for $name {
            #[inline]
            fn from(value: $ty) -> Self {
                match value {
                    $( v if v == $value => Self::$variant, )*
                    other => Self::Unknown(other),
                }
            }
        }

        impl ::core::convert::From<$name> for $ty {
            #[inline]
            fn from(value: $name) -> $ty {
                match value {
                    $( $name::$variant => $value, )*
                    $name::Unknown(other) => other,
                }
            }
        }

        impl $name {
            /// Every named variant.
            pub const ALL: &'static [$name] = &[$( $name::$variant ),*];

            /// The snake_case name of the value, `None` for an unknown one.
            #[must_use]
            pub const fn label(self) -> ::core::option::Option<&'static str> {
                match self {
                    $( Self::$variant => Some($label), )*
                    Self::Unknown(_) => None,
                }
            }

            /// The wire value.
            #[must_use]
            pub fn value(self) -> $ty {
                <$ty>::from(self)
            }
        }
    };
}
