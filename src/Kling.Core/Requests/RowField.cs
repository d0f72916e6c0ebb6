using System;
using System.Collections.Generic;
using System.Linq;

namespace Kling.Core.Requests
{
    /// <summary>
    /// How a row field is given: the type of the cmdlet's parameter, and of the <see cref="VideoInput"/> property the row
    /// reader carries it into.
    /// </summary>
    public enum RowFieldKind
    {
        /// <summary>One text: a string parameter, a string on <see cref="VideoInput"/>.</summary>
        Text,

        /// <summary>Several texts, a cell ';'-separated: a string[] parameter, an IList&lt;string&gt; on <see cref="VideoInput"/>.</summary>
        List,

        /// <summary>A switch that also binds from a yes/no cell (<see cref="YesNo"/>): a SwitchParameter, a yes/no string on <see cref="VideoInput"/>.</summary>
        Switch,

        /// <summary>Shots, each a cell or a hashtable/object with Prompt and Duration: an object[] parameter, <see cref="VideoInput.Shots"/>.</summary>
        Shots,

        /// <summary>Elements, each a JSON cell or a hashtable/object (<see cref="ElementKeys"/>): an object[] parameter, <see cref="VideoInput.Elements"/>.</summary>
        Elements,

        /// <summary>Body fields: a hashtable/object or a JSON cell; an object parameter, <see cref="VideoInput.AdditionalBody"/> or its JSON.</summary>
        Body,

        /// <summary>A label kept with the task and never sent: a string parameter, on no <see cref="VideoInput"/> property.</summary>
        Label,
    }

    /// <summary>
    /// One field of a video row, as <see cref="RowFields"/> declares it: the parameter (New-KlingVideo's and
    /// Measure-KlingCost's), the other column names it binds by, how it is given, the line that says what it takes (the
    /// README's parameter table), and the body fields it is sent as.
    /// </summary>
    public sealed class RowField
    {
        /// <summary>Declares a field; <paramref name="wire"/> empty when the field is not sent as a body field of its own.</summary>
        public RowField(string parameter, RowFieldKind kind, string? input, string[] aliases, string[] wire, string help)
        {
            Parameter = parameter;
            Kind = kind;
            Input = input;
            Aliases = aliases;
            Wire = wire;
            Help = help;
        }

        /// <summary>The parameter's name (-AspectRatio), also a column name the field binds by.</summary>
        public string Parameter { get; }

        /// <summary>How the field is given: the parameter's type and <see cref="Input"/>'s.</summary>
        public RowFieldKind Kind { get; }

        /// <summary>The <see cref="VideoInput"/> property the field is read into; null for a field that is never sent (-Name).</summary>
        public string? Input { get; }

        /// <summary>The parameter's aliases: the other column names it binds by (aspect_ratio), in declaration order.</summary>
        public IReadOnlyList<string> Aliases { get; }

        /// <summary>
        /// The top-level body fields the field can be sent as, on some model (-FirstFrame: image_urls, image_with_roles,
        /// first_frame_image or image_url); empty for a field merged into the body as given (-AdditionalBody) or kept (-Name).
        /// </summary>
        public IReadOnlyList<string> Wire { get; }

        /// <summary>What the field takes, in one line of markdown: the README parameter table's Values cell.</summary>
        public string Help { get; }

        /// <summary>Whether the field reaches the body (every field but a label).</summary>
        public bool IsSent => Kind != RowFieldKind.Label;

        /// <summary>Every column name that binds to the field: its parameter's name, then its aliases.</summary>
        public IEnumerable<string> Spellings => new[] { Parameter }.Concat(Aliases);

        /// <summary>Whether <paramref name="name"/> is one of <see cref="Spellings"/>, in any case (as PowerShell binds).</summary>
        public bool IsSpelledBy(string name) => Spellings.Any(s => string.Equals(s, name, StringComparison.OrdinalIgnoreCase));

        /// <summary>The parameter as written on a command line.</summary>
        public override string ToString() => "-" + Parameter;
    }
}
