//! Parts of the interface that the module loads the first time they are needed, so that the
//! bytes a host page waits for before the widget is interactive do not carry them: the offer
//! detail (on the first offer opened) and each panel beside the search (market, events).
//!
//! With the `split` feature (the release module, `cargo xtask build-widget`), each [`Part`] is a
//! function that wasm-split moves into a chunk of its own, with the code only it reaches; the
//! chunk is fetched and instantiated on the first [`Part::load`]. Without it (the browser tests,
//! a plain `trunk build`, the server), the function is in the module and every load succeeds at
//! once.

/// A function of the interface that may live in a chunk of its own.
pub struct Part<T: Copy + 'static> {
    #[cfg(feature = "split")]
    loaded: std::sync::OnceLock<T>,
    #[cfg(feature = "split")]
    fetch: fn() -> Fetch<T>,
    #[cfg(not(feature = "split"))]
    value: T,
}

/// Fetching and instantiating a part's chunk; it yields the part's function.
#[cfg(feature = "split")]
pub type Fetch<T> = std::pin::Pin<
    Box<dyn std::future::Future<Output = Result<T, wasm_split_helpers::SplitLoaderError>>>,
>;

impl<T: Copy + 'static> Part<T> {
    /// A part whose function `fetch` yields once its chunk is loaded.
    #[cfg(feature = "split")]
    pub const fn new(fetch: fn() -> Fetch<T>) -> Self {
        Self { loaded: std::sync::OnceLock::new(), fetch }
    }

    /// A part that is `value`, in the module.
    #[cfg(not(feature = "split"))]
    pub const fn new(value: T) -> Self {
        Self { value }
    }

    /// The part's function, once loaded.
    pub fn get(&self) -> Option<T> {
        #[cfg(feature = "split")]
        return self.loaded.get().copied();
        #[cfg(not(feature = "split"))]
        Some(self.value)
    }

    /// The part's function, loaded first if it is not yet; `None` if its chunk could not be
    /// fetched (the chunk loader logs why to the console, and a later call tries again).
    pub async fn load(&self) -> Option<T> {
        #[cfg(feature = "split")]
        {
            if let Some(value) = self.get() {
                return Some(value);
            }
            let value = (self.fetch)().await.ok()?;
            Some(*self.loaded.get_or_init(|| value))
        }
        #[cfg(not(feature = "split"))]
        Some(self.value)
    }
}

/// `static $name: Part<$ty>`, the function `$value`, in the chunk `$chunk` of a split build.
macro_rules! part {
    ($(#[$doc:meta])* $name:ident, $chunk:ident, $ty:ty, $value:expr) => {
        $(#[$doc])*
        #[cfg(feature = "split")]
        pub static $name: $crate::split::Part<$ty> = $crate::split::Part::new(|| {
            #[wasm_split_helpers::wasm_split($chunk, fallible)]
            fn chunk() -> Result<$ty, wasm_split_helpers::SplitLoaderError> {
                Ok($value)
            }
            Box::pin(chunk())
        });
        $(#[$doc])*
        #[cfg(not(feature = "split"))]
        pub static $name: $crate::split::Part<$ty> = $crate::split::Part::new($value);
    };
}
pub(crate) use part;
