module github.com/newsenrich/newsenrich/deploy/healthcheck

go 1.26.8
