//! The widget's components, one per file.

pub mod agenda;
pub mod combobox;
pub mod empty_state;
pub mod filters;
pub mod heading;
pub mod market;
pub mod offer_detail;
pub mod page;
pub mod place_picker;
pub mod result_list;
pub mod search_form;
pub mod settings;
pub mod status;
pub mod widget;

pub use widget::Widget;
