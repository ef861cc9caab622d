/** The model repository: {@code <root>/<model>/<version>/} bundles, loaded, validated and swapped atomically. */
package org.ncf4j.server.repository;
