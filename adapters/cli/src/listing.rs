//! One renderer for every listing (restore jobs, backups, …): one page or every page, as a
//! table, a JSON page or NDJSON, and the notes that say how to go on; and for one thing shown
//! alone (`describe`), its fields or its JSON object.
//!
//! - One page: the table, the page as `{"data": [...], "pagination": ...}`, or a line per
//!   item; a next-page note with the command that fetches it (not after JSON, whose
//!   `pagination` says it).
//! - Every page (`--all`): the table once every row is in; the JSON document only once whole
//!   (a walk that fails leaves stdout empty); NDJSON written page by page, each page before the
//!   next is fetched. A walk that fails on something a new walk may get past says how to
//!   resume from the page that failed (core decides which errors those are).

use std::io::Write;

use pinecone_restore_core::{Listing, PaginationToken};
use pinecone_restore_ureq::{Api, Walk};

use crate::args::{ItemFormat, ListFormat, PageArgs};
use crate::commands::{Session, note};
use crate::exit::Failure;
use crate::output::{self, Fields, JsonList, Marks, Ndjson, Render};
use crate::shell;
use crate::stdout::{OrWriteFailure, with_stdout};

/// Writes a table of items: the plain one, or one with a column of marks.
type Table<'a, T> = dyn Fn(&mut dyn Write, &[T]) -> std::io::Result<()> + 'a;

/// How a listing's notes name the command that lists the same items again: `pinecone-restore
/// [global options] backups list` and what follows `--all` (`--index docs`), each value one
/// shell word.
pub(crate) struct Command {
    pub(crate) head: String,
    pub(crate) tail: String,
}

impl Session<'_> {
    /// Shows one thing (a job, a backup) as `format` asks.
    pub(crate) fn show_one(&self, item: &impl Fields, format: ItemFormat) -> Result<(), Failure> {
        with_stdout(|out| {
            match format {
                ItemFormat::Table => output::write_fields_of(out, item, self.secrets),
                ItemFormat::Json => output::write_json(out, item),
            }
            .or_write_failure()
        })
    }

    /// Shows `listing` as `page` asks: one page, or every page with `--all`.
    pub(crate) fn show<L: Listing>(
        &self,
        listing: L,
        page: &PageArgs,
        command: &Command,
    ) -> Result<(), Failure>
    where
        L::Item: Render,
    {
        self.show_marked(listing, page, command, None)
    }

    /// As [`Session::show`], a table with the column `marks` last.
    pub(crate) fn show_marked<L: Listing>(
        &self,
        listing: L,
        page: &PageArgs,
        command: &Command,
        marks: Option<&Marks>,
    ) -> Result<(), Failure>
    where
        L::Item: Render,
    {
        let table = |out: &mut dyn std::io::Write, items: &[L::Item]| -> std::io::Result<()> {
            let mut out = out;
            match marks {
                Some(marks) => {
                    output::write_marked_table(&mut out, items, L::id, marks, self.secrets)
                }
                None => output::write_table(&mut out, items, self.secrets),
            }
        };
        if page.all {
            let walk = self
                .client
                .walk(listing, page.limit, page.pagination_token.as_ref());
            return self.show_walk(walk, page.output, command, &table);
        }
        let token = page.pagination_token.as_ref();
        let (items, next) = self
            .client
            .call(listing.page(page.limit, token))
            .map(L::split)
            .map_err(|e| self.failure(&e))?;
        with_stdout(|out| {
            match page.output {
                ListFormat::Table => table(out, &items),
                ListFormat::Json => {
                    let mut list = JsonList::begin(out).or_write_failure()?;
                    for item in &items {
                        list.item(out, item).or_write_failure()?;
                    }
                    list.end(out, next.as_ref().map(PaginationToken::as_str))
                }
                ListFormat::Ndjson => {
                    let mut lines = Ndjson::default();
                    items.iter().try_for_each(|item| lines.item(out, item))
                }
            }
            .or_write_failure()
        })?;
        if let (Some(next), ListFormat::Table | ListFormat::Ndjson) = (&next, page.output) {
            note(&format!(
                "more {}: next page with `{}{} --pagination-token {}`",
                L::ITEMS,
                command.head,
                command.tail,
                shell::word(&self.token(next))
            ));
        }
        Ok(())
    }

    /// Every item `walk` yields, written as `format` says.
    fn show_walk<L: Listing>(
        &self,
        mut walk: Walk<'_, L>,
        format: ListFormat,
        command: &Command,
        table: &Table<'_, L::Item>,
    ) -> Result<(), Failure>
    where
        L::Item: Render,
    {
        // what the walk ended with, as the command reports it: a note on where to resume,
        // when that may go otherwise, and the error
        let failed = |walk: &Walk<'_, L>, e| {
            if let Some(token) = walk.resume_after(&e) {
                note(&format!(
                    "stopped after {} pages; resume with `{} --all{} --pagination-token {}`",
                    walk.pages(),
                    command.head,
                    command.tail,
                    shell::word(&self.token(token))
                ));
            }
            self.failure(&e)
        };
        match format {
            ListFormat::Table => {
                // aligned columns need every row first
                let mut all = Vec::new();
                while let Some(item) = walk.next() {
                    all.push(item.map_err(|e| failed(&walk, e))?);
                }
                with_stdout(|out| table(out, &all).or_write_failure())
            }
            ListFormat::Json => {
                // a JSON document is whole or absent: a walk that fails leaves stdout empty,
                // not half a document a script might take for the listing
                let mut document = Vec::new();
                let mut list = JsonList::begin(&mut document).or_write_failure()?;
                while let Some(item) = walk.next() {
                    let item = item.map_err(|e| failed(&walk, e))?;
                    list.item(&mut document, &item).or_write_failure()?;
                }
                list.end(&mut document, None).or_write_failure()?;
                with_stdout(|out| out.write_all(&document).or_write_failure())
            }
            ListFormat::Ndjson => with_stdout(|out| {
                let mut lines = Ndjson::default();
                while let Some(item) = walk.next() {
                    let item = item.map_err(|e| failed(&walk, e))?;
                    lines.item(out, &item).or_write_failure()?;
                    if walk.in_hand() == 0 {
                        // the page is written: the reader has it before the next is fetched
                        out.flush().or_write_failure()?;
                    }
                }
                Ok(())
            }),
        }
    }
}
