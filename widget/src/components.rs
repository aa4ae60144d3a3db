//! The widget's components, one per file.

mod empty_state;
mod filters;
mod market;
mod offer_detail;
mod place_picker;
mod result_list;
mod search_form;
mod settings;
mod status;
mod widget;

pub use widget::Widget;
