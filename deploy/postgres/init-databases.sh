#!/bin/sh
# Run once by the postgres image on an empty data directory: one role and one database per
# service, so a service can neither read nor change another's data.
set -eu
for service in registry accompaniment reporting; do
    password_variable=$(echo "${service}_POSTGRES_PASSWORD" | tr '[:lower:]' '[:upper:]')
    password=$(printenv "$password_variable")
    psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres \
        -v role="$service" -v password="$password" -v database="peerwork_$service" <<'SQL'
CREATE ROLE :"role" LOGIN PASSWORD :'password';
CREATE DATABASE :"database" OWNER :"role";
REVOKE ALL ON DATABASE :"database" FROM PUBLIC;
SQL
done
