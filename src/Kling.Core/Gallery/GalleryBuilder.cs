using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Kling.Core.Downloads;

namespace Kling.Core.Gallery
{
    /// <summary>What the gallery page shows: the folder's cards, in row order, and their totals.</summary>
    public sealed class GalleryContent
    {
        public GalleryContent(string folder, IReadOnlyList<GalleryCard> cards)
        {
            Folder = folder;
            Cards = cards;
        }

        public string Folder { get; }

        public IReadOnlyList<GalleryCard> Cards { get; }

        /// <summary>Added up when asked, so a card a status call changed counts as it is now.</summary>
        public GalleryTotals Totals => GalleryTotals.Of(Cards);
    }

    /// <summary>
    /// Joins what is known of a download folder's videos into cards: each video's sidecar when it has one; else the
    /// folder's saved-file index (file, task, bytes, cost) joined by task id with the journal's rows (row, name, and
    /// the request's model, mode, duration and prompt) when a journal is given; else the file alone. With a journal, its
    /// rows that made no video get cards too: not sent (with the reason), in doubt, or with no file in the folder.
    /// </summary>
    public static class GalleryBuilder
    {
        /// <summary>Reads the folder (and the journal, when given) into the gallery's content.</summary>
        public static GalleryContent Build(string folder, JournalRows? journal)
        {
            var cards = new List<GalleryCard>();
            var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            foreach (string sidecar in Directory.EnumerateFiles(folder, "*" + VideoSidecar.Extension))
            {
                string video = sidecar.Substring(0, sidecar.Length - VideoSidecar.Extension.Length);
                GalleryCard? card = File.Exists(video) ? SidecarReader.Read(video) : null;
                if (card != null && seen.Add(card.File!))
                {
                    Fill(card, journal?.RowOf(card.TaskId));
                    cards.Add(card);
                }
            }

            SavedFileIndex index = SavedFileIndex.Load(folder);
            foreach (SavedFile saved in index.Entries.OrderBy(e => e.At))
            {
                if (saved.TaskId.Length == 0 || seen.Contains(saved.File) || !index.Holds(saved.File, saved.TaskId, saved.Index))
                {
                    continue;
                }

                seen.Add(saved.File);
                var card = new GalleryCard
                {
                    State = GalleryCardState.Saved,
                    File = saved.File,
                    TaskId = saved.TaskId,
                    Bytes = saved.Bytes,
                    CostUsd = saved.Cost,
                    Source = "index",
                };
                if (Fill(card, journal?.RowOf(saved.TaskId)))
                {
                    card.Source = "index+journal";
                }

                cards.Add(card);
            }

            if (journal != null)
            {
                cards.AddRange(RowsWithoutVideo(journal, cards));
            }

            return new GalleryContent(folder, Ordered(OneCostPerTask(cards)));
        }

        /// <summary>
        /// What the gateway now says of a task the folder has no video of: a failed or cancelled task becomes a failed card
        /// with the gateway's reason (and its refund's cost); any other keeps its card, saying what the task is doing.
        /// </summary>
        public static void ApplyStatus(GalleryCard card, KlingTask task)
        {
            card.CostUsd = task.Cost ?? card.CostUsd;
            if (KlingTaskStatus.IsFailed(task.Status))
            {
                card.State = GalleryCardState.Failed;
                string code = string.IsNullOrEmpty(task.ErrorCode) ? string.Empty : $" ({task.ErrorCode})";
                card.Reason = $"{task.Status}{code}: {task.Error ?? "the gateway gave no reason"}";
            }
            else
            {
                card.Reason = KlingTaskStatus.IsCompleted(task.Status)
                    ? "completed, but not saved in this folder"
                    : $"{task.Status}: not finished yet";
            }
        }

        /// <summary>Fills what a card does not know from its journal row; false when there is no row.</summary>
        private static bool Fill(GalleryCard card, JournalRow? row)
        {
            if (row == null)
            {
                return false;
            }

            var task = new KlingTask(card.TaskId ?? row.TaskId ?? string.Empty) { Request = row.Request };
            card.Row ??= row.Row > 0 ? row.Row : (int?)null;
            card.Name ??= row.Name;
            card.Model ??= row.Request?.Model;
            card.Mode ??= task.Mode;
            card.Duration ??= task.Duration;
            card.Prompt ??= PromptOf(row);
            return true;
        }

        /// <summary>The prompt sent, or the shots' prompts one after another.</summary>
        private static string? PromptOf(JournalRow row) =>
            row.Request?.Prompt ?? (row.Request?.MultiPrompt == null ? null : string.Join(" | ", row.Request.MultiPrompt.Select(s => s.Prompt)));

        private static IEnumerable<GalleryCard> RowsWithoutVideo(JournalRows journal, IReadOnlyCollection<GalleryCard> saved)
        {
            var tasksShown = new HashSet<string>(saved.Where(c => c.TaskId != null).Select(c => c.TaskId!), StringComparer.Ordinal);
            foreach (JournalRow row in journal.Rows)
            {
                GalleryCardState state;
                string? reason = row.Error;
                if (JournalRows.IsSubmitted(row))
                {
                    if (tasksShown.Contains(row.TaskId!))
                    {
                        continue;
                    }

                    state = GalleryCardState.NoFile;
                    reason = "no video of this task in the folder";
                }
                else if (JournalRows.IsInDoubt(row))
                {
                    state = GalleryCardState.InDoubt;
                    reason = (reason ?? "the run stopped while its submission was on the wire") + "; it may have been accepted and billed: look for it on the gateway";
                }
                else
                {
                    state = GalleryCardState.NotSent;
                    reason ??= "not sent";
                }

                var card = new GalleryCard { State = state, TaskId = row.TaskId, Reason = reason, Source = "journal" };
                Fill(card, row);
                yield return card;
            }
        }

        /// <summary>A task's cost stays on its first card only, so the totals count each task once.</summary>
        private static List<GalleryCard> OneCostPerTask(List<GalleryCard> cards)
        {
            var costed = new HashSet<string>(StringComparer.Ordinal);
            foreach (GalleryCard card in cards.Where(c => c.CostUsd.HasValue && c.TaskId != null).OrderBy(c => c.File, StringComparer.Ordinal))
            {
                if (!costed.Add(card.TaskId!))
                {
                    card.CostUsd = null;
                }
            }

            return cards;
        }

        private static IReadOnlyList<GalleryCard> Ordered(List<GalleryCard> cards) =>
            cards.OrderBy(c => c.Row ?? int.MaxValue).ThenBy(c => c.File ?? string.Empty, StringComparer.Ordinal).ToList();
    }
}
