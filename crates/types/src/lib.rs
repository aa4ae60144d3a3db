#![doc = include_str!("../README.md")]

pub mod api;
pub mod ft;
pub mod recherche;
