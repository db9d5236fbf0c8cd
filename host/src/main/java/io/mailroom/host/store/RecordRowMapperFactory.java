package io.mailroom.host.store;

import java.lang.reflect.Constructor;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.Arrays;
import java.util.Optional;
import org.jdbi.v3.core.config.ConfigRegistry;
import org.jdbi.v3.core.generic.GenericTypes;
import org.jdbi.v3.core.mapper.ColumnMappers;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.mapper.RowMapperFactory;
import org.jdbi.v3.core.mapper.reflect.ConstructorMapper;

/**
 * Maps any Java record from a row through its canonical constructor, so DAOs return records
 * without {@code @RegisterConstructorMapper} on every method. Columns match components by name,
 * {@code snake_case} to {@code camelCase} (Jdbi's {@link ConstructorMapper} rules; a component
 * may be renamed with {@code @ColumnName}).
 *
 * <p>A record that has its own column mapper (a single-value type such as an id) is left to that
 * mapper: otherwise this factory, consulted first, would shadow it.
 */
final class RecordRowMapperFactory implements RowMapperFactory {

    @Override
    public Optional<RowMapper<?>> build(Type type, ConfigRegistry config) {
        Class<?> erased = GenericTypes.getErasedType(type);
        if (!erased.isRecord() || config.get(ColumnMappers.class).findFor(type).isPresent()) {
            return Optional.empty();
        }
        return Optional.of(ConstructorMapper.of(canonicalConstructor(erased)));
    }

    /** A record may declare extra constructors; Jdbi would refuse to choose among them. */
    private static Constructor<?> canonicalConstructor(Class<?> record) {
        Class<?>[] componentTypes = Arrays.stream(record.getRecordComponents())
                .map(RecordComponent::getType)
                .toArray(Class<?>[]::new);
        try {
            return record.getDeclaredConstructor(componentTypes);
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException("record without canonical constructor: " + record, e);
        }
    }
}
