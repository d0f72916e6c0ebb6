using System.Collections.Immutable;
using System.Reflection.Emit;
using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using System.Reflection.PortableExecutable;

namespace Kling.Core.Tests.Architecture;

/// <summary>
/// Which types each type of a compiled assembly refers to, read from its metadata (System.Reflection.Metadata, no
/// loading): base type, interfaces, generic constraints, fields, properties, events, method signatures, attributes
/// (with their <c>typeof</c> arguments), and in method bodies the locals, caught exceptions and every type, method
/// and field the IL names. A compiler-made nested type (closure, lambda, async or iterator state machine) counts for
/// the type it sits in, so a lambda's references are its author's.
/// </summary>
/// <remarks>
/// What the IL cannot show: a constant's value is copied into the caller, and <c>nameof</c> leaves a string, so a
/// use of <c>SomeType.SomeConst</c> alone leaves no reference; <see cref="SourceReferenceReader"/> covers those.
/// </remarks>
internal sealed class TypeReferenceReader : ISignatureTypeProvider<string, object?>, ICustomAttributeTypeProvider<string>
{
    private static readonly Dictionary<ushort, OperandType> Operands = typeof(OpCodes)
        .GetFields(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Static)
        .Select(f => (OpCode)f.GetValue(null)!)
        .ToDictionary(o => (ushort)o.Value, o => o.OperandType);

    private readonly PEReader pe;
    private readonly MetadataReader md;
    private HashSet<string> found = new(StringComparer.Ordinal);

    private TypeReferenceReader(PEReader pe)
    {
        this.pe = pe;
        md = pe.GetMetadataReader();
    }

    /// <summary>For each top-level type (full name), the full names of the top-level types it refers to, itself left out.</summary>
    public static IReadOnlyDictionary<string, IReadOnlySet<string>> Read(string assemblyPath)
    {
        using var stream = File.OpenRead(assemblyPath);
        using var pe = new PEReader(stream);
        var reader = new TypeReferenceReader(pe);
        var result = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        foreach (var handle in reader.md.TypeDefinitions)
        {
            var owner = reader.NameOf(handle);
            if (!result.TryGetValue(owner, out var set))
            {
                result[owner] = set = new HashSet<string>(StringComparer.Ordinal);
            }

            reader.found = set;
            reader.ReadType(handle);
            set.Remove(owner);
        }

        return result.ToDictionary(p => p.Key, p => (IReadOnlySet<string>)p.Value, StringComparer.Ordinal);
    }

    private void ReadType(TypeDefinitionHandle handle)
    {
        var type = md.GetTypeDefinition(handle);
        Entity(type.BaseType);
        foreach (var i in type.GetInterfaceImplementations())
        {
            Entity(md.GetInterfaceImplementation(i).Interface);
        }

        GenericParameters(type.GetGenericParameters());
        Attributes(type.GetCustomAttributes());
        foreach (var f in type.GetFields())
        {
            var field = md.GetFieldDefinition(f);
            field.DecodeSignature(this, null);
            Attributes(field.GetCustomAttributes());
        }

        foreach (var p in type.GetProperties())
        {
            var property = md.GetPropertyDefinition(p);
            property.DecodeSignature(this, null);
            Attributes(property.GetCustomAttributes());
        }

        foreach (var e in type.GetEvents())
        {
            var ev = md.GetEventDefinition(e);
            Entity(ev.Type);
            Attributes(ev.GetCustomAttributes());
        }

        foreach (var m in type.GetMethods())
        {
            Method(md.GetMethodDefinition(m));
        }
    }

    private void Method(MethodDefinition method)
    {
        method.DecodeSignature(this, null);
        GenericParameters(method.GetGenericParameters());
        Attributes(method.GetCustomAttributes());
        foreach (var p in method.GetParameters())
        {
            Attributes(md.GetParameter(p).GetCustomAttributes());
        }

        if (method.RelativeVirtualAddress == 0)
        {
            return;
        }

        var body = pe.GetMethodBody(method.RelativeVirtualAddress);
        if (!body.LocalSignature.IsNil)
        {
            md.GetStandaloneSignature(body.LocalSignature).DecodeLocalSignature(this, null);
        }

        foreach (var region in body.ExceptionRegions)
        {
            Entity(region.CatchType);
        }

        Il(body.GetILReader());
    }

    private void Il(BlobReader il)
    {
        while (il.RemainingBytes > 0)
        {
            ushort code = il.ReadByte();
            if (code == 0xFE)
            {
                code = (ushort)(0xFE00 | il.ReadByte());
            }

            switch (Operands[code])
            {
                case OperandType.InlineNone:
                    break;
                case OperandType.ShortInlineBrTarget:
                case OperandType.ShortInlineI:
                case OperandType.ShortInlineVar:
                    il.Offset += 1;
                    break;
                case OperandType.InlineVar:
                    il.Offset += 2;
                    break;
                case OperandType.InlineI8:
                case OperandType.InlineR:
                    il.Offset += 8;
                    break;
                case OperandType.InlineSwitch:
                    var targets = il.ReadInt32();
                    il.Offset += 4 * targets;
                    break;
                case OperandType.InlineField:
                case OperandType.InlineMethod:
                case OperandType.InlineTok:
                case OperandType.InlineType:
                case OperandType.InlineSig:
                    Entity(MetadataTokens.EntityHandle(il.ReadInt32()));
                    break;
                default:
                    il.Offset += 4;
                    break;
            }
        }
    }

    private void Entity(EntityHandle handle)
    {
        if (handle.IsNil)
        {
            return;
        }

        switch (handle.Kind)
        {
            case HandleKind.TypeDefinition:
            case HandleKind.TypeReference:
                found.Add(NameOf(handle));
                break;
            case HandleKind.TypeSpecification:
                md.GetTypeSpecification((TypeSpecificationHandle)handle).DecodeSignature(this, null);
                break;
            case HandleKind.FieldDefinition:
                var field = md.GetFieldDefinition((FieldDefinitionHandle)handle);
                Entity(field.GetDeclaringType());
                field.DecodeSignature(this, null);
                break;
            case HandleKind.MethodDefinition:
                var method = md.GetMethodDefinition((MethodDefinitionHandle)handle);
                Entity(method.GetDeclaringType());
                method.DecodeSignature(this, null);
                break;
            case HandleKind.MemberReference:
                var member = md.GetMemberReference((MemberReferenceHandle)handle);
                Entity(member.Parent);
                if (member.GetKind() == MemberReferenceKind.Field)
                {
                    member.DecodeFieldSignature(this, null);
                }
                else
                {
                    member.DecodeMethodSignature(this, null);
                }

                break;
            case HandleKind.MethodSpecification:
                var spec = md.GetMethodSpecification((MethodSpecificationHandle)handle);
                Entity(spec.Method);
                spec.DecodeSignature(this, null);
                break;
            case HandleKind.StandaloneSignature:
                var sig = md.GetStandaloneSignature((StandaloneSignatureHandle)handle);
                if (sig.GetKind() == StandaloneSignatureKind.Method)
                {
                    sig.DecodeMethodSignature(this, null);
                }

                break;
        }
    }

    private void GenericParameters(GenericParameterHandleCollection parameters)
    {
        foreach (var p in parameters)
        {
            foreach (var c in md.GetGenericParameter(p).GetConstraints())
            {
                Entity(md.GetGenericParameterConstraint(c).Type);
            }
        }
    }

    private void Attributes(CustomAttributeHandleCollection attributes)
    {
        foreach (var a in attributes)
        {
            var attribute = md.GetCustomAttribute(a);
            Entity(attribute.Constructor);
            attribute.DecodeValue(this);
        }
    }

    /// <summary>The full name of the top-level type a handle names (a nested type answers for its outermost declaring type).</summary>
    private string NameOf(EntityHandle handle)
    {
        if (handle.Kind == HandleKind.TypeDefinition)
        {
            var type = md.GetTypeDefinition((TypeDefinitionHandle)handle);
            while (type.IsNested)
            {
                type = md.GetTypeDefinition(type.GetDeclaringType());
            }

            return Join(md.GetString(type.Namespace), md.GetString(type.Name));
        }

        var reference = md.GetTypeReference((TypeReferenceHandle)handle);
        while (reference.ResolutionScope.Kind == HandleKind.TypeReference)
        {
            reference = md.GetTypeReference((TypeReferenceHandle)reference.ResolutionScope);
        }

        return Join(md.GetString(reference.Namespace), md.GetString(reference.Name));
    }

    private static string Join(string ns, string name) => ns.Length == 0 ? name : ns + "." + name;

    // Signature decoding: every named type is noted; the decoded value is the type's name where attributes need it.
    public string GetTypeFromDefinition(MetadataReader reader, TypeDefinitionHandle handle, byte rawTypeKind) => Note(NameOf(handle));

    public string GetTypeFromReference(MetadataReader reader, TypeReferenceHandle handle, byte rawTypeKind) => Note(NameOf(handle));

    public string GetTypeFromSpecification(MetadataReader reader, object? genericContext, TypeSpecificationHandle handle, byte rawTypeKind)
    {
        Entity(handle);
        return string.Empty;
    }

    public string GetPrimitiveType(PrimitiveTypeCode typeCode) => typeCode.ToString();

    public string GetSZArrayType(string elementType) => elementType + "[]";

    public string GetArrayType(string elementType, ArrayShape shape) => elementType + "[,]";

    public string GetByReferenceType(string elementType) => elementType;

    public string GetPointerType(string elementType) => elementType;

    public string GetPinnedType(string elementType) => elementType;

    public string GetGenericInstantiation(string genericType, ImmutableArray<string> typeArguments) => genericType;

    public string GetGenericMethodParameter(object? genericContext, int index) => string.Empty;

    public string GetGenericTypeParameter(object? genericContext, int index) => string.Empty;

    public string GetFunctionPointerType(MethodSignature<string> signature) => string.Empty;

    public string GetModifiedType(string modifier, string unmodifiedType, bool isRequired) => unmodifiedType;

    // Attribute values: a typeof(X) argument arrives by its serialized name ("Namespace.Outer+Nested, Assembly, ...").
    public string GetSystemType() => "System.Type";

    public bool IsSystemType(string type) => type == "System.Type";

    public string GetTypeFromSerializedName(string name)
    {
        var comma = name.IndexOf(',');
        var full = (comma < 0 ? name : name.Substring(0, comma)).Trim();
        var plus = full.IndexOf('+');
        return Note(plus < 0 ? full : full.Substring(0, plus));
    }

    /// <summary>An enum argument of an attribute: every enum this code base hands to attributes is an int.</summary>
    public PrimitiveTypeCode GetUnderlyingEnumType(string type) => PrimitiveTypeCode.Int32;

    private string Note(string name)
    {
        found.Add(name);
        return name;
    }
}
