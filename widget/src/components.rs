//! The widget's components, one per file.

mod empty_state;
mod filters;
mod offer_detail;
mod result_list;
mod search_form;
mod settings;
mod status;
mod widget;

pub use widget::Widget;
