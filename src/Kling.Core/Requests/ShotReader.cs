using System.Collections.Generic;
using System.Linq;
using Kling.Core.Catalog;
using Kling.Core.Wire;

namespace Kling.Core.Requests
{
    /// <summary>
    /// -Shot and -MultiShot: shots ("3: The door opens | 5: A dog runs in", or a Prompt and a Duration each) become
    /// multi_shot true, shot_type customize and multi_prompt [{index, prompt, duration}]; -MultiShot alone sends
    /// shot_type intelligence. The catalog's shot rules: 1 to the model's MaxShots (6) adding up to the row's duration, a prompt length per shot.
    /// </summary>
    internal static class ShotReader
    {
        internal static void Read(RowContext row)
        {
            VideoInput input = row.Input;
            List<ShotInput> given = (input.Shots ?? new List<ShotInput>())
                .Where(s => s != null && (Cells.Given(s.Text) != null || Cells.Given(s.Prompt) != null || Cells.Given(s.Duration) != null))
                .ToList();
            string? multiCell = Cells.Given(input.MultiShot);
            if (given.Count == 0 && multiCell == null)
            {
                return;
            }

            if (!row.Takes(given.Count > 0 ? "shots" : "multi_shot", m => m.MultiShot))
            {
                return;
            }

            bool? multi = multiCell == null ? true : row.Boolean("multi_shot", multiCell);
            if (multi == null)
            {
                return;
            }

            if (multi == false)
            {
                if (given.Count > 0)
                {
                    row.Add("shots", "are given but multi_shot is false; drop -MultiShot (shots make the row multi-shot) or the shots.");
                    return;
                }

                row.Request.MultiShot = false;
                return;
            }

            row.Request.MultiShot = true;
            if (given.Count == 0)
            {
                row.Request.ShotType = "intelligence";
                return;
            }

            List<ShotPrompt>? shots = Parse(row, given);
            if (shots == null)
            {
                return;
            }

            row.Request.ShotType = "customize";
            row.Request.MultiPrompt = shots;
            if (row.Spec != null)
            {
                CheckRules(row, row.Spec, shots);
            }
        }

        /// <summary>The shots in order, numbered from 1; null (with the row's problems) when one cannot be read.</summary>
        private static List<ShotPrompt>? Parse(RowContext row, List<ShotInput> given)
        {
            var shots = new List<ShotPrompt>();
            bool ok = true;
            foreach (ShotInput shot in given)
            {
                if (Cells.Given(shot.Text) != null)
                {
                    ok &= ParseCell(row, shots, shot.Text!.Trim());
                }
                else
                {
                    ok &= Add(row, shots, Cells.Given(shot.Duration), Cells.Given(shot.Prompt), null);
                }
            }

            return ok ? shots : null;
        }

        /// <summary>
        /// A cell "3: The door opens | 5: A dog runs in": every part between the '|' is a shot, so an empty part (a doubled,
        /// leading or trailing '|') is the row's error naming its position rather than a shot silently dropped.
        /// </summary>
        private static bool ParseCell(RowContext row, List<ShotPrompt> shots, string cell)
        {
            string[] parts = cell.Split('|');
            bool ok = true;
            for (int i = 0; i < parts.Length; i++)
            {
                string part = parts[i].Trim();
                if (part.Length == 0)
                {
                    string where = i == 0 ? "before the first '|'" : i == parts.Length - 1 ? "after the last '|'" : "between two '|'";
                    row.Add("shots", $"shot {shots.Count + 1} is empty (nothing {where}); remove the extra '|', or write the shot as 'seconds: prompt'.");
                    shots.Add(new ShotPrompt { Index = shots.Count + 1, Prompt = string.Empty });
                    ok = false;
                    continue;
                }

                int colon = part.IndexOf(':');
                string? duration = colon > 0 ? part.Substring(0, colon) : null;
                string? prompt = colon > 0 ? part.Substring(colon + 1) : part;
                ok &= Add(row, shots, duration, prompt, colon > 0 ? null : part);
            }

            return ok;
        }

        private static bool Add(RowContext row, List<ShotPrompt> shots, string? durationText, string? promptText, string? unreadable)
        {
            int index = shots.Count + 1;
            if (unreadable != null)
            {
                row.Add("shots", $"shot {index} '{unreadable}' has no duration; write each shot as 'seconds: prompt', shots separated by '|' (for example '3: The door opens | 5: A dog runs in').");
                shots.Add(new ShotPrompt { Index = index, Prompt = unreadable });
                return false;
            }

            int? duration = durationText == null ? null : Cells.WholeNumber(durationText);
            string? prompt = Cells.Given(promptText);
            bool ok = true;
            if (duration == null || duration < 1)
            {
                row.Add("shots", $"shot {index} has the duration '{durationText?.Trim()}'; each shot needs a whole number of seconds, at least 1.");
                ok = false;
            }

            if (prompt == null)
            {
                row.Add("shots", $"shot {index} has no prompt.");
                ok = false;
            }
            else if (!row.CheckText("shots", prompt))
            {
                ok = false;
            }

            shots.Add(new ShotPrompt { Index = index, Prompt = prompt ?? string.Empty, Duration = duration ?? 0 });
            return ok;
        }

        private static void CheckRules(RowContext row, ModelSpec spec, List<ShotPrompt> shots)
        {
            if (shots.Count > spec.MaxShots)
            {
                row.Add("shots", $"has {shots.Count} shots; {spec.Name} takes 1 to {spec.MaxShots}.");
            }

            int? max = spec.ShotPromptMaxLength;
            foreach (ShotPrompt shot in shots.Where(s => max != null && s.Prompt.Length > max))
            {
                row.Add("shots", $"shot {shot.Index}'s prompt has {shot.Prompt.Length} characters; {spec.Name} takes at most {max} per shot.");
            }

            int total = shots.Sum(s => s.Duration);
            bool durationGiven = Cells.Given(row.Input.Duration) != null;
            int? duration = durationGiven ? row.Request.Duration : spec.DefaultDuration;
            if (duration != null && total != duration)
            {
                string whose = durationGiven ? $"the row's duration is {duration}" : $"the row gives no duration, so {spec.Name} makes {duration} s";
                row.Add("shots", $"shot durations add up to {total} s but {whose}; on {spec.Name} they must add up to the duration (give -Duration {total}, or change the shots).");
            }
        }
    }
}
