#![doc = include_str!("../README.md")]

pub mod agenda;
pub mod api;
pub mod ft;
pub mod recherche;
