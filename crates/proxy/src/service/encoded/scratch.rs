//! Brotli's working memory, kept between compressions.
//!
//! At quality 4 the encoder allocates a 512 kB hash table and a 192 kB ring buffer for every
//! answer it compresses, however small. The proxy's allocator returns freed pages to the system
//! at once (to keep its resident memory low), so each compression used to fault those pages in
//! again: 406 µs for a 7.6 kB page, against 98 µs when the buffers are reused (medians of 200,
//! warm caches). [`Reusing`] keeps the large buffers of the last compressions, up to
//! [`KEPT_BYTES`] in all, while answers are compressed ([`crate::spare`]).

use std::any::{Any, TypeId};

use brotli::{Allocator, SliceWrapper, SliceWrapperMut};

use crate::spare::Spare;

/// Buffers smaller than this are left to the allocator (its small size classes keep them).
const KEPT_FROM_BYTES: usize = 64 << 10;
/// What the pool may hold in all: the hash table and the ring buffer (704 kB).
pub(super) const KEPT_BYTES: usize = 768 << 10;

/// One buffer handed to the encoder, and whether it came from the pool.
#[derive(Debug, Default)]
pub(super) struct Cell<T> {
    items: Box<[T]>,
    reused: bool,
}

impl<T> SliceWrapper<T> for Cell<T> {
    fn slice(&self) -> &[T] {
        &self.items
    }
}

impl<T> SliceWrapperMut<T> for Cell<T> {
    fn slice_mut(&mut self) -> &mut [T] {
        &mut self.items
    }
}

/// A kept buffer: its element type and length, which a request must match exactly.
struct Kept {
    ty: TypeId,
    len: usize,
    bytes: usize,
    /// Taken again at least once (the table and the ring buffer are, every time; the command
    /// buffers, sized by the input, seldom are): the first to go when the pool is full.
    reused: bool,
    cell: Box<dyn Any + Send>,
}

/// Large buffers kept, and their bytes.
#[derive(Default)]
pub(super) struct Pool {
    kept: Vec<Kept>,
    bytes: usize,
}

/// The answers' pool.
pub(super) static POOL: Spare<Pool> = Spare::new(Pool::new());

impl Pool {
    const fn new() -> Self {
        Self { kept: Vec::new(), bytes: 0 }
    }
}

/// The encoder's allocator: large buffers come from its pool when one of the same type and
/// length is there (cleared to the encoder's default), and go back to it when freed.
#[derive(Clone, Copy)]
pub(super) struct Reusing(pub(super) &'static Spare<Pool>);

impl<T: Clone + Default + Send + 'static> Allocator<T> for Reusing {
    type AllocatedMemory = Cell<T>;

    fn alloc_cell(&mut self, len: usize) -> Cell<T> {
        if len * size_of::<T>() >= KEPT_FROM_BYTES {
            let ty = TypeId::of::<T>();
            let taken = self.0.try_use().and_then(|mut pool| {
                let at = pool.kept.iter().position(|k| k.ty == ty && k.len == len);
                at.map(|i| {
                    let kept = pool.kept.swap_remove(i);
                    pool.bytes -= kept.bytes;
                    kept.cell
                })
            });
            if let Some(Ok(mut items)) = taken.map(|c| c.downcast::<Box<[T]>>()) {
                items.fill(T::default());
                return Cell { items: *items, reused: true };
            }
        }
        Cell { items: vec![T::default(); len].into_boxed_slice(), reused: false }
    }

    fn free_cell(&mut self, cell: Cell<T>) {
        let (len, bytes) = (cell.items.len(), cell.items.len() * size_of::<T>());
        if bytes < KEPT_FROM_BYTES {
            return;
        }
        let ty = TypeId::of::<T>();
        let Some(mut pool) = self.0.try_use() else { return };
        if pool.kept.iter().any(|k| k.ty == ty && k.len == len) {
            return;
        }
        // Room is made by dropping buffers never taken again, then the new one waits its turn.
        while pool.bytes + bytes > KEPT_BYTES {
            let Some(i) = pool.kept.iter().position(|k| !k.reused) else { return };
            let dropped = pool.kept.swap_remove(i);
            pool.bytes -= dropped.bytes;
        }
        pool.bytes += bytes;
        pool.kept.push(Kept { ty, len, bytes, reused: cell.reused, cell: Box::new(cell.items) });
    }
}

impl brotli::enc::BrotliAlloc for Reusing {}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    /// An element type of these tests alone, so that no other compression shares its buffers.
    #[derive(Debug, Clone, Copy, Default, PartialEq)]
    struct Probe(u64);

    const LEN: usize = KEPT_FROM_BYTES / 8;

    fn pool() -> &'static Spare<Pool> {
        Box::leak(Box::new(Spare::new(Pool::new())))
    }

    #[test]
    fn a_large_buffer_is_taken_again_cleared() {
        let mut alloc = Reusing(pool());
        let mut first: Cell<Probe> = alloc.alloc_cell(LEN);
        assert!(!first.reused);
        first.slice_mut().fill(Probe(7));
        alloc.free_cell(first);
        let again: Cell<Probe> = alloc.alloc_cell(LEN);
        assert!(again.reused, "the freed buffer was not taken again");
        assert!(again.slice().iter().all(|p| *p == Probe(0)), "a reused buffer was not cleared");
        // Another length is another buffer.
        let other: Cell<Probe> = alloc.alloc_cell(LEN + 1);
        assert!(!other.reused);
        alloc.free_cell(again);
        alloc.free_cell(other);
    }

    #[test]
    fn small_buffers_are_not_kept() {
        let mut alloc = Reusing(pool());
        let small: Cell<Probe> = alloc.alloc_cell(LEN / 2);
        alloc.free_cell(small);
        let again: Cell<Probe> = alloc.alloc_cell(LEN / 2);
        assert!(!again.reused);
    }

    #[test]
    fn the_pool_stays_under_its_cap_and_output_matches_the_standard_encoder() {
        let kept = pool();
        let page: String = (0..1000)
            .map(|i| format!(r#"{{"id":"{i:07}","intitule":"Offre {i}","lieu":"Rennes"}},"#))
            .collect();
        let params = |n: usize| brotli::enc::BrotliEncoderParams {
            quality: 4,
            lgwin: 16,
            size_hint: n,
            ..Default::default()
        };
        // Inputs of many sizes: their command buffers differ, and must not pile up.
        for n in [3_000, 7_600, 15_000, 22_000, 7_600, 40_000, 7_600] {
            let input = &page.as_bytes()[..n];
            let (mut reusing, mut standard) = (Vec::new(), Vec::new());
            let (mut i, mut o) = ([0u8; 4096], [0u8; 4096]);
            brotli::enc::BrotliCompressCustomAlloc(
                &mut &input[..],
                &mut reusing,
                &mut i,
                &mut o,
                &params(n),
                Reusing(kept),
            )
            .unwrap();
            brotli::BrotliCompress(&mut &input[..], &mut standard, &params(n)).unwrap();
            assert_eq!(reusing, standard, "{n} bytes");
            let mut back = Vec::new();
            brotli::BrotliDecompress(&mut &reusing[..], &mut back).unwrap();
            assert_eq!(back, input);
            let bytes = kept.try_use().unwrap().bytes;
            assert!(bytes <= KEPT_BYTES, "{bytes} bytes kept");
            assert!(bytes >= 512 << 10, "the hash table is not kept: {bytes} bytes");
        }
    }
}
