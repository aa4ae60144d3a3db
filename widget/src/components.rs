//! The widget's components. [`Widget`] is the root; the others are its parts.

mod offer_card;
mod result_list;
mod search_form;
mod status;
mod widget;

pub use widget::Widget;
