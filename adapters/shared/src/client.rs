//! A client's constructors, observer and `Debug`, written once for every adapter.

/// Writes, for adapter client `$client` (a struct with a field `hooks: Hooks` and a
/// `fn new(Config) -> Result<$client, Error>`), its `builder`, `from_env` and `on_event`, a
/// `Debug` that never shows the key, and its builder `$builder` with core's settings. `$krate`
/// is the adapter crate's name, for the examples.
#[macro_export]
macro_rules! client {
    ($client:ident, $builder:ident, $krate:literal) => {
        impl $client {
            /// A builder with core's defaults (see
            /// [`ConfigBuilder`](pinecone_restore_core::ConfigBuilder)) and proxies from the
            /// environment.
            pub fn builder(api_key: $crate::__core::ApiKey) -> $builder {
                $builder::from($crate::__core::Config::builder(api_key))
            }

            /// A client configured from the environment by core's
            /// [`ConfigBuilder::from_env`](pinecone_restore_core::ConfigBuilder::from_env): the
            /// API key from `PINECONE_API_KEY` (required), the control plane from
            /// `PINECONE_CONTROLLER_HOST` (optional; a bare host means `https://`), extra roots
            /// from `PINECONE_CA_CERT`.
            ///
            /// # Errors
            ///
            /// An invalid-argument error when `PINECONE_API_KEY` is unset, empty or not
            /// header-safe (never quoted), or the host is refused.
            ///
            #[doc = concat!("```no_run\nuse ", $krate, "::Client;\n\nlet client = Client::from_env()?;\n# Ok::<(), ", $krate, "::Error>(())\n```")]
            pub fn from_env() -> Result<$client, $crate::__core::Error> {
                $builder::from($crate::__core::ConfigBuilder::from_env(|name| {
                    std::env::var_os(name).map(|v| v.to_string_lossy().into_owned())
                })?)
                .build()
            }

            /// This client, calling `observer` with every decision core makes along the way:
            /// each attempt and what follows it (a retry and why, giving up at a bound), each
            /// page of a walk, each poll of a wait, each step of a create's recovery. Every
            /// text in an event is already scrubbed of the key and bounded; its `Display` is
            /// one line for a person. (With the `tracing` feature the same events also go to
            /// `tracing`.)
            pub fn on_event(
                mut self,
                observer: impl Fn(&$crate::__core::event::Event) + Send + Sync + 'static,
            ) -> $client {
                self.hooks.observe(observer);
                self
            }
        }

        impl std::fmt::Debug for $client {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.debug_struct(stringify!($client))
                    .field("hooks", &self.hooks) // core redacts the key, header values and proxy
                    .finish_non_exhaustive()
            }
        }

        #[doc = concat!("Builds a [`", stringify!($client), "`] with core's settings (the same in every adapter); [`", stringify!($builder), "::build`] checks them all.")]
        #[derive(Debug)]
        pub struct $builder {
            config: $crate::__core::ConfigBuilder,
        }

        impl From<$crate::__core::ConfigBuilder> for $builder {
            fn from(config: $crate::__core::ConfigBuilder) -> $builder {
                $builder { config }
            }
        }

        impl $builder {
            $crate::__core::config_setters!();

            #[doc = concat!("Checks every setting and builds the [`", stringify!($client), "`].")]
            ///
            /// # Errors
            ///
            /// An invalid-argument error for what core's
            /// [`ConfigBuilder::build`](pinecone_restore_core::ConfigBuilder::build) refuses (a
            /// bad base URL, plain `http://` to a remote host, a header that is not header-safe,
            /// a zero timeout, too many retries), a proxy URL that does not parse (never quoted:
            /// it may hold credentials), or a CA certificate file that cannot be used.
            ///
            #[doc = concat!("```\nuse ", $krate, "::{ApiKey, Client};\n\nlet err = Client::builder(ApiKey::new(\"k\")?)\n    .base_url(\"http://example.com\")\n    .build()\n    .unwrap_err();\nassert!(err.is_invalid_argument());\n# Ok::<(), ", $krate, "::Error>(())\n```")]
            pub fn build(self) -> Result<$client, $crate::__core::Error> {
                $client::new(self.config.build()?)
            }
        }
    };
}
